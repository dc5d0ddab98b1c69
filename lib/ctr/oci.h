/* SPDX-License-Identifier: Apache-2.0 */
/* Calling the OCI runtime (runc, crun) directly: start, kill, delete, state, pause, resume. */
#ifndef CPOD_CTR_OCI_H
#define CPOD_CTR_OCI_H

#include <stdbool.h>

#include <cpod/error.h>

struct cpod_runtime;

/* Runtime argv prefix: path, --root <oci root> [--systemd-cgroup]; NULL-terminated, caller frees the vector only. */
int oci_argv(struct cpod_runtime *rt, char ***ret, cpod_error_t *err);
int oci_run(struct cpod_runtime *rt, const char *verb, const char *const *args, cpod_error_t *err);
int oci_start(struct cpod_runtime *rt, const char *id, cpod_error_t *err);
int oci_kill(struct cpod_runtime *rt, const char *id, int sig, bool all, cpod_error_t *err);
/* Does the runtime have state for this container (its state dir exists)? */
bool oci_known(struct cpod_runtime *rt, const char *id);
int oci_delete(struct cpod_runtime *rt, const char *id, bool force, cpod_error_t *err);
int oci_pause(struct cpod_runtime *rt, const char *id, cpod_error_t *err);
int oci_resume(struct cpod_runtime *rt, const char *id, cpod_error_t *err);
/* The runtime's view: "created", "running", "paused", "stopped", or NULL if it doesn't know the container. */
char *oci_state(struct cpod_runtime *rt, const char *id, int *ret_pid);

#endif
