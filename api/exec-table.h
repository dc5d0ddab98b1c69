/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Docker's exec sessions: POST /containers/{id}/exec records one here, /exec/{id}/start runs it,
 * /exec/{id}/json reads it.  They live in the service's memory (as in dockerd): a session outlives
 * its requests but not the service.  Sessions are reference counted: a running one is held by its
 * thread while a request may look it up.
 */
#ifndef CPOD_API_EXEC_TABLE_H
#define CPOD_API_EXEC_TABLE_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>

struct api_exec {
        char id[65], ctr[65];
        char **argv, **env; /* NULL-terminated */
        char *user, *workdir, *detach_keys;
        bool tty, privileged, attach_in, attach_out, attach_err;
        /* Below under the table's lock. */
        int rows, cols; /* the terminal's size, 0 when not given */
        bool started, running, exited;
        int exit_code, pid;
        int pty;           /* a dup of the pty master while a tty session runs, else -1 */
        long long done_at; /* CLOCK_MONOTONIC seconds at exit */
        int refs;
        struct api_exec *next;
};

struct api_execs {
        pthread_mutex_t lock;
        struct api_exec *head;
};

void api_execs_init(struct api_execs *t);
void api_execs_release(struct api_execs *t);

/* Add e (its refs 1 for the table); sessions that ended long ago are dropped. */
void api_exec_add(struct api_execs *t, struct api_exec *e);
/* The session with this ID (or unique prefix), referenced; NULL when none. */
struct api_exec *api_exec_get(struct api_execs *t, const char *id);
void api_exec_put(struct api_execs *t, struct api_exec *e);

/* Under the lock: the session as Docker's GET /exec/{id}/json. */
json_t *api_exec_json(struct api_execs *t, struct api_exec *e);
/* Mark started (false when it already was: a session runs once). */
bool api_exec_begin(struct api_execs *t, struct api_exec *e);
void api_exec_running(struct api_execs *t, struct api_exec *e, int pid, int pty);
void api_exec_end(struct api_execs *t, struct api_exec *e, int exit_code);
/* Set the session's terminal size (now, or when it starts); -ENOTTY without a tty. */
int api_exec_resize(struct api_execs *t, struct api_exec *e, int rows, int cols);

#endif
