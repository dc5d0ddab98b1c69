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
/* Start a created container whose process is pid (lib/ctr/oci-start.c). */
int oci_start(struct cpod_runtime *rt, const char *id, int pid, cpod_error_t *err);
int oci_kill(struct cpod_runtime *rt, const char *id, int sig, bool all, cpod_error_t *err);
/* Does the runtime have state for this container (its state dir exists)? */
bool oci_known(struct cpod_runtime *rt, const char *id);
int oci_delete(struct cpod_runtime *rt, const char *id, bool force, cpod_error_t *err);
int oci_pause(struct cpod_runtime *rt, const char *id, cpod_error_t *err);
int oci_resume(struct cpod_runtime *rt, const char *id, cpod_error_t *err);
struct ctr;
/*
 * --preserve-fds N: how many of fds 3.. to pass to the runtime.  Only fds this process inherited
 * (open, without close-on-exec) are passed; otherwise (a later `start` from another shell) none, with
 * a warning.
 */
int oci_preserve_fds(struct cpod_runtime *rt, const struct ctr *c);
/* The last error in the runtime's own log of the container (<bundle>/oci-log, JSON lines), or NULL. */
char *oci_log_error(struct cpod_runtime *rt, const char *id);
/*
 * The runtime failed to create or start the container: podman's 127/126 errors when it is about the
 * command, else "OCI runtime error: <runtime>: msg" (CPOD_E_OCI, 126).  Returns -EIO.
 */
int oci_create_failed(struct cpod_runtime *rt, const char *msg, cpod_error_t *err);
/* The runtime's view: "created", "running", "paused", "stopped", or NULL if it doesn't know the container. */
char *oci_state(struct cpod_runtime *rt, const char *id, int *ret_pid);

#endif
