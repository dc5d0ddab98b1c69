/* SPDX-License-Identifier: Apache-2.0 */
/*
 * User namespaces (userns.c, userns-auto.c): --userns host|private|auto[:...]|ns:PATH|container:ID,
 * --uidmap/--gidmap, --subuidname/--subgidname.  At create a container's mappings are resolved
 * once into its config (IDMapUID/IDMapGID), which the runtime config, the rootfs (an idmapped
 * mount of the image, storage/layer-idmap.h) and inspect read.  auto's ranges come from
 * /etc/subuid and /etc/subgid for the user "containers" and are recorded in the engine DB
 * (userns_ranges, keyed by the container's layer, which its create intent covers), so two
 * containers never get overlapping ranges; removing the container frees them (a trigger).
 */
#ifndef CPOD_CTR_USERNS_H
#define CPOD_CTR_USERNS_H

#include <jansson.h>
#include <stdbool.h>

#include <cpod/error.h>

#include "util/idmap.h"

struct cpod_runtime;
struct ctr_config;

/* At create, before the layer exists: podman's checks and the mappings of every mode but auto. */
int userns_check(struct cpod_runtime *rt, struct ctr_config *cfg, cpod_error_t *err);
/* At create, under the create intent of layer_id: auto's ranges, allocated and recorded. */
int userns_allocate(struct cpod_runtime *rt, struct ctr_config *cfg, const char *layer_id, cpod_error_t *err);
/* Forget the ranges recorded for layer_id (a failed or interrupted create). */
void userns_release(struct cpod_runtime *rt, const char *layer_id);
/* The mappings cfg runs with (both empty: the host's user namespace). */
int userns_maps(const struct ctr_config *cfg, struct idmap *ret_uids, struct idmap *ret_gids, cpod_error_t *err);
/* Does the container run in a user namespace of its own or another's? */
bool userns_enabled(const struct ctr_config *cfg);
/*
 * Is the container in a user namespace that does not own its network namespace (cpod makes or
 * joins it first, in the host's)?  Then sysfs cannot be mounted nor net.* sysctls written.
 */
bool userns_net_foreign(const struct ctr_config *cfg);
/*
 * mqueue can only be mounted by the user namespace owning the IPC namespace, and another mount
 * namespace's mqueue mount cannot be bound: in an IPC namespace joined from another user
 * namespace (a pod's, --ipc container:), /dev/mqueue stays unmounted (SysV IPC is shared).
 */
void userns_mqueue(const struct ctr_config *cfg, const char *ipc_join, json_t *mounts);
/* Add the user namespace (joined at join when not NULL) and its mappings to the spec's linux object. */
void userns_spec(const struct ctr_config *cfg, const char *join, json_t *lx);
/*
 * As podman: the container's root must reach its rootfs, so every directory above path gets
 * search permission for others where it lacks it.
 */
int userns_make_accessible(const char *path, cpod_error_t *err);
/* The host ID of container UID (or GID) id: itself without a user namespace, else mapped (nobody, 65534, when not). */
uint32_t userns_host_id(const struct ctr_config *cfg, bool gid, uint32_t id);
/* inspect's HostConfig.UsernsMode, as podman shows it; caller frees. */
char *userns_inspect_mode(const struct ctr_config *cfg);

/* userns-auto.c: "name:start:count" lines of a subid file for user (by name or UID). */
int userns_subids(const char *file, const char *user, struct idmap *ret, cpod_error_t *err);

#endif
