/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Named volumes (cpod-volume(1)).  A volume is podman's inspect object:
 * Name, Driver, Mountpoint, CreatedAt, Labels, Scope, Options, UID, GID,
 * Anonymous, MountCount, NeedsCopyUp, NeedsChown.
 */
#ifndef CPOD_VOLUME_H
#define CPOD_VOLUME_H

#include <jansson.h>
#include <stdbool.h>

#include <cpod/engine.h>
#include <cpod/error.h>
#include <cpod/runtime.h>

/*
 * Create.  Request: Name (default: 64 random hex digits), Driver ("local"), Labels{}, Options{type,
 * device, o}, IgnoreIfExists (an existing volume of that name is returned unchanged).
 * *ret: the volume.
 */
CPOD_PUBLIC int cpod_volume_create(struct cpod_runtime *rt, const json_t *req, json_t **ret, cpod_error_t *err);
/*
 * Every volume matching filters, sorted by name.  filters: {"KEY": ["VALUE", ...]} or NULL; keys
 * name (a regular expression), driver, scope, label (K or K=V), label!, opt (K or K=V of its
 * options), dangling (true/false: used by no container), until (a timestamp, unix seconds or a
 * duration back from now).  Values of one key are alternatives; keys must all match.
 */
CPOD_PUBLIC int cpod_volume_list(struct cpod_runtime *rt, const json_t *filters, json_t **ret, cpod_error_t *err);
/* By exact name. */
CPOD_PUBLIC int cpod_volume_inspect(struct cpod_runtime *rt, const char *name, json_t **ret, cpod_error_t *err);
/* IDs of the containers that use the volume (NULL-terminated; the caller frees each and the array). */
CPOD_PUBLIC int cpod_volume_containers(struct cpod_runtime *rt, const char *name, char ***ret, cpod_error_t *err);
/*
 * Remove.  A volume containers use is removed only with force, which removes those containers
 * first (timeout for stopping them: -1 for each one's own); else CPOD_E_IN_USE.
 */
CPOD_PUBLIC int cpod_volume_remove(struct cpod_runtime *rt, const char *name, bool force, int timeout,
                                   cpod_error_t *err);
/*
 * Remove every volume no container uses that matches filters (as cpod_volume_list's; podman
 * takes label, label! and until).  Items are volume names.
 */
CPOD_PUBLIC int cpod_volume_prune(struct cpod_runtime *rt, const json_t *filters, struct cpod_prune_report *ret,
                                  cpod_error_t *err);
/* Make the volume's data available at its mountpoint (a mount for -o type=/device=); *ret_path: it. */
CPOD_PUBLIC int cpod_volume_mount(struct cpod_runtime *rt, const char *name, char **ret_path, cpod_error_t *err);
CPOD_PUBLIC int cpod_volume_unmount(struct cpod_runtime *rt, const char *name, cpod_error_t *err);
/* Write the volume's content as a tar to fd / extract a tar from fd into it. */
CPOD_PUBLIC int cpod_volume_export(struct cpod_runtime *rt, const char *name, int fd, cpod_error_t *err);
CPOD_PUBLIC int cpod_volume_import(struct cpod_runtime *rt, const char *name, int fd, cpod_error_t *err);

#endif
