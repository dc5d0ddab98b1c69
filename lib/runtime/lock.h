/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-object locks: flock on <runroot>/locks/<id>.lock.  The kernel drops
 * them when the holder dies, so kill -9 never leaves a stuck lock.
 */
#ifndef CPOD_RUNTIME_LOCK_H
#define CPOD_RUNTIME_LOCK_H

#include <cpod/error.h>

struct cpod_runtime;

/* Take the exclusive lock of object id; returns the fd (>= 0) to pass to obj_unlock. */
int obj_lock(struct cpod_runtime *rt, const char *id, cpod_error_t *err);
void obj_unlock(int fd);
/* Remove the lock file of a deleted object (while holding it). */
void obj_lock_remove(struct cpod_runtime *rt, const char *id);

#endif
