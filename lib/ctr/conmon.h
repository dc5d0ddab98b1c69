/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Launching conmon for a container: conmon runs `<runtime> create` and
 * monitors the container; we learn the container PID (or the runtime's
 * error) from the sync pipe.  After the process exits conmon writes the
 * exit code to <exit dir>/<id> and runs `cpod container cleanup <id>`.
 */
#ifndef CPOD_CTR_CONMON_H
#define CPOD_CTR_CONMON_H

#include <stdbool.h>

#include <cpod/error.h>

struct cpod_runtime;
struct ctr;

/*
 * Start conmon for c (bundle already written).  Returns 0 with the
 * container's PID and conmon's PID, or < 0: kind CPOD_E_CMD_NOT_FOUND or
 * CPOD_E_CMD_PERM when the command can't be executed (podman's 127/126).
 */
/* This cpod with the same store flags (--root, --runroot, ...), for the processes it starts of itself. */
void ctr_self_argv(struct cpod_runtime *rt, char ***argv);
int conmon_create(struct cpod_runtime *rt, const struct ctr *c, bool attached, int *ret_pid, int *ret_conmon_pid,
                  cpod_error_t *err);

#endif
