/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What conmon and the OCI runtime tell cpod, parsed defensively: they run
 * the container's setup and can be fed by it (a runtime error message
 * quotes the container's command), so nothing here trusts its input.
 */
#ifndef CPOD_CTR_CONMON_MSG_H
#define CPOD_CTR_CONMON_MSG_H

#include <stdbool.h>
#include <stddef.h>

#include <cpod/error.h>

/*
 * conmon's sync pipe: one JSON line {"data": N[, "message": "..."]}.  N > 0 is the container's
 * PID, N < 0 a failure (message says why).  Anything else -- 0, which kill(2) would take for the
 * whole process group, or a number that is no PID -- is an error.
 */
int conmon_parse_sync(const char *buf, size_t len, int *ret_data, char **ret_msg, cpod_error_t *err);

/* The exit file conmon writes: a decimal exit code (0..255, or 128+signal) and nothing else. */
bool conmon_parse_exit_code(const char *s, int *ret);

/* A PID file (conmon's, the runtime's): a positive decimal PID, else 0. */
int conmon_parse_pid(const char *s);

/* The runtime's --log (JSON lines): the message of its last "error" line, or NULL.  Caller frees. */
char *runtime_log_last_error(const char *buf, size_t len);

#endif
