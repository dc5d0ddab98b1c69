/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A container layer seen through a user namespace's ID mapping (layer-idmap.c).  Image layers
 * are shared between mappings: overlay mounts detached idmapped bind mounts of the lower layers
 * (mount_setattr MOUNT_ATTR_IDMAP on their ext4/xfs directories; an overlay mount itself cannot be
 * idmapped on every kernel), so no file is copied.  The upper dir holds the host IDs the
 * container writes.  vfs copies every layer anyway: there the copy is chowned instead.
 */
#ifndef CPOD_STORAGE_LAYER_IDMAP_H
#define CPOD_STORAGE_LAYER_IDMAP_H

#include <stdbool.h>

#include <cpod/error.h>

#include "util/idmap.h"

/* Keep the mapping of the layer in <dir>/idmap. */
int layer_idmap_write(const char *dir, const struct idmap *uids, const struct idmap *gids, cpod_error_t *err);
/* The mapping kept in <dir>/idmap: 1 with it, 0 when the layer has none, < 0 on a bad file. */
int layer_idmap_read(const char *dir, struct idmap *ret_uids, struct idmap *ret_gids, cpod_error_t *err);
/* Shift the owners of path (and all below it when recursive) from container to host IDs. */
int layer_idmap_chown(const char *path, bool recursive, const struct idmap *uids, const struct idmap *gids,
                      cpod_error_t *err);
/*
 * The diff dir of the layer at dir, as an O_RDONLY fd seeing the IDs the container saw: with a
 * mapping, a detached idmapped mount by the inverse mapping (host 100000 shows as 0); else the
 * directory itself.
 */
int layer_idmap_open_unmapped(const char *dir, cpod_error_t *err);
/* Can directory dir be idmapped here?  0, or an error saying why not. */
int layer_idmap_probe(const char *dir, int userns_fd, cpod_error_t *err);
/*
 * A detached idmapped bind mount of src, as an O_CLOEXEC fd: overlay takes "/proc/self/fd/N" as a
 * lower dir, so no mount point is ever visible (nothing for a crash to leave behind, nothing a
 * recursive delete could walk into).
 */
int layer_idmap_tree(const char *src, int userns_fd, cpod_error_t *err);

#endif
