/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Starting child programs (runc, conmon, netavark, ...): one helper shaped
 * like git's run-command.  Uses vfork+exec semantics via posix_spawn so it
 * is safe in threaded code (no fork without exec).
 */
#ifndef CPOD_UTIL_EXEC_H
#define CPOD_UTIL_EXEC_H

#include <stdbool.h>
#include <sys/types.h>

#include <cpod/error.h>
#include "util/strbuf.h"

struct child_process {
        const char *const *argv; /* argv[0] is the program; searched in PATH if it has no '/' */
        const char *const *env;  /* full environment, or NULL to inherit */
        const char *dir;         /* working directory, or NULL */
        /* For each stdio: -1 = inherit, -2 = /dev/null, >= 0 = this fd (the child gets a dup). */
        int in, out, err;
        /* Extra fds kept open in the child at the same number (terminated by -1 or count). */
        const int *keep_fds;
        int n_keep_fds;
        bool new_session; /* setsid() in the child */
        pid_t pid;
};

/* clang-format off */
#define CHILD_PROCESS_INIT { .in = -2, .out = -2, .err = -2 }
/* clang-format on */

int child_start(struct child_process *cp, cpod_error_t *err);
/* Wait for the child; returns its exit status (0..255) or 128+signal. */
int child_finish(struct child_process *cp, cpod_error_t *err);

/* This process's environment without the variable key (a new list for child_process.env; strv_free it). */
char **environ_without(const char *key);

/*
 * Run argv to completion, capturing stdout (and stderr, if ret_err is not NULL)
 * up to limit bytes each.  Returns the exit status as child_finish(), or < 0.
 */
int run_capture(const char *const *argv, const char *const *env, struct strbuf *ret_out, struct strbuf *ret_err,
                cpod_error_t *err);
/* The same in directory dir (NULL: this process's). */
int run_capture_in(const char *const *argv, const char *const *env, const char *dir, struct strbuf *ret_out,
                   struct strbuf *ret_err, cpod_error_t *err);
/* The same with input (a string) on the child's stdin. */
int run_capture_input(const char *const *argv, const char *const *env, const char *input, struct strbuf *ret_out,
                      struct strbuf *ret_err, cpod_error_t *err);

#endif
