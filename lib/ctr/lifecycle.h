/* SPDX-License-Identifier: Apache-2.0 */
/* Lifecycle steps shared by the lib/ctr files; the caller holds the container's lock. */
#ifndef CPOD_CTR_LIFECYCLE_H
#define CPOD_CTR_LIFECYCLE_H

#include <stdbool.h>

#include <cpod/container.h>
#include <cpod/error.h>

struct cpod_runtime;
struct ctr;

/* Mount, write the bundle, launch conmon + `runtime create`: state CREATED with pid. */
int ctr_runtime_create(struct cpod_runtime *rt, struct ctr *c, bool attached, cpod_error_t *err);
/* Mount the rootfs (joining the pod first) and write the bundle; *ret_rootfs is the mount point. */
int ctr_prepare_bundle(struct cpod_runtime *rt, struct ctr *c, char **ret_rootfs, cpod_error_t *err);
/* Record a new run: mount point (taken), container PID, monitor PID (conmon, or runc for direct runs). */
void ctr_mark_started(struct ctr *c, char *rootfs, int pid, int monitor_pid);
/*
 * Foreground fast path: `runtime run` with this process as the monitor
 * (no conmon): relays and logs the streams, writes the exit file, and
 * returns with the exit code.  The lock fd is released while it runs.
 */
/* After an attached wait: the record vanished (rm -f meanwhile); *c gets just the ID and the exit code. */
int ctr_gone_while_waiting(struct ctr *c, const char *id, int code, cpod_error_t *err);
int ctr_run_direct(struct cpod_runtime *rt, struct ctr *c, int *lockfd, const struct cpod_attach_streams *s,
                   cpod_error_t *err);
/* `runtime start`: state RUNNING. */
int ctr_runtime_start(struct cpod_runtime *rt, struct ctr *c, cpod_error_t *err);
/*
 * The process is gone: record the exit (from the exit file when c doesn't
 * have it yet), delete it from the runtime, unmount; state EXITED.
 */
int ctr_finish_exit(struct cpod_runtime *rt, struct ctr *c, cpod_error_t *err);
/* cpod_ctr_remove, and with with_pod also a pod's infra container (the pod is being removed). */
int ctr_remove(struct cpod_runtime *rt, const char *id, const struct cpod_rm_opts *o, bool with_pod, cpod_error_t *err);
/* --rm: remove c (not running), unless other containers join its namespaces: then it stays, with a warning. */
int ctr_auto_remove(struct cpod_runtime *rt, struct ctr *c, cpod_error_t *err);
/* Remove everything of c (it must not be running). */
int ctr_remove_locked(struct cpod_runtime *rt, struct ctr *c, cpod_error_t *err);
/* Signal, wait up to timeout seconds, then SIGKILL; then finish the exit. */
int ctr_stop_locked(struct cpod_runtime *rt, struct ctr *c, int timeout, cpod_error_t *err);
/*
 * The stop command's stop: the container is "stopping" while the stop signal has its time, with the
 * lock released (*lockfd is dropped and taken again) so kill, ps and inspect work meanwhile; then
 * SIGKILL, as ctr_stop_locked.
 */
int ctr_stop_releasing(struct cpod_runtime *rt, struct ctr *c, int *lockfd, int timeout, cpod_error_t *err);
/* Its two halves, for stopping several at once (cpod_ctr_stop_many).  The timeout in seconds (-1: the
 * container's); begin sends the stop signal: 1 when the exit is to be awaited, 2 when the signal could
 * not be sent, 0 when stopped already (or at once, timeout 0), < 0 on error.  end waits wait_ms
 * (-1: not at all) with the lock released, then SIGKILLs what still runs. */
int ctr_stop_timeout(struct cpod_runtime *rt, const struct ctr *c, int timeout);
/* After a stop with result r: the stop event when it worked (and c is still there); c cleared, lock released. */
int ctr_stop_done(struct cpod_runtime *rt, struct ctr *c, int lockfd, int r);
int ctr_stop_begin(struct cpod_runtime *rt, struct ctr *c, int timeout, cpod_error_t *err);
int ctr_stop_end(struct cpod_runtime *rt, struct ctr *c, int *lockfd, int timeout, int wait_ms, cpod_error_t *err);
/* Wait until the container's process has exited (and conmon wrote the exit file), up to timeout_ms (-1: forever). */
int ctr_wait_exit(struct cpod_runtime *rt, struct ctr *c, int timeout_ms);
bool ctr_read_exit_file(struct cpod_runtime *rt, struct ctr *c);
/* The shareable /dev/shm (shm.c): a pod infra's or an --ipc shareable container's tmpfs on the host. */
char *ctr_shm_dir(struct cpod_runtime *rt, const char *id);
bool ctr_shm_owner(const struct ctr *c);
/* The size of the container's /dev/shm as a tmpfs size= value: --shm-size, else containers.conf's (podman's units). */
char *ctr_shm_size(struct cpod_runtime *rt, const struct ctr *c);
int ctr_shm_setup(struct cpod_runtime *rt, const struct ctr *c, cpod_error_t *err);
void ctr_shm_teardown(struct cpod_runtime *rt, const char *id);
/* Did the OOM killer end c (exit code 137)?  Only while its cgroup still exists (before oci_delete). */
bool ctr_oom_killed(struct cpod_runtime *rt, const struct ctr *c);

#endif
