/* SPDX-License-Identifier: Apache-2.0 */
/* Lifecycle steps shared by the lib/ctr files; the caller holds the container's lock. */
#ifndef CPOD_CTR_LIFECYCLE_H
#define CPOD_CTR_LIFECYCLE_H

#include <stdbool.h>

#include <cpod/error.h>

struct cpod_runtime;
struct ctr;

/* Mount, write the bundle, launch conmon + `runtime create`: state CREATED with pid. */
int ctr_runtime_create(struct cpod_runtime *rt, struct ctr *c, bool attached, cpod_error_t *err);
/* `runtime start`: state RUNNING. */
int ctr_runtime_start(struct cpod_runtime *rt, struct ctr *c, cpod_error_t *err);
/*
 * The process is gone: record the exit (from the exit file when c doesn't
 * have it yet), delete it from the runtime, unmount; state EXITED.
 */
int ctr_finish_exit(struct cpod_runtime *rt, struct ctr *c, cpod_error_t *err);
/* Remove everything of c (it must not be running). */
int ctr_remove_locked(struct cpod_runtime *rt, struct ctr *c, cpod_error_t *err);
/* Signal, wait up to timeout seconds, then SIGKILL; then finish the exit. */
int ctr_stop_locked(struct cpod_runtime *rt, struct ctr *c, int timeout, cpod_error_t *err);
/* Wait until the container's process has exited (and conmon wrote the exit file), up to timeout_ms (-1: forever). */
int ctr_wait_exit(struct cpod_runtime *rt, struct ctr *c, int timeout_ms);
bool ctr_read_exit_file(struct cpod_runtime *rt, struct ctr *c);

#endif
