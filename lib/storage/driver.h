/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Storage drivers: how a layer's files are laid out and mounted.  The store
 * (store.c, layers.c, layer-mount.c) keeps records, locks, mount counts and
 * crash repair for every driver and calls one of these tables for the rest,
 * as crun calls its cgroup managers.  Nothing outside lib/storage names a
 * driver: other modules ask the store what it can do (store_layers_are_diffs).
 *
 * A layer lives in <driver_dir>/<id>/ with its files in diff/.
 */
#ifndef CPOD_STORAGE_DRIVER_H
#define CPOD_STORAGE_DRIVER_H

#include <stdbool.h>

#include <cpod/error.h>
#include "storage/layer-apply.h"
#include "util/idmap.h"

struct store;

struct store_driver {
        const char *name;
        /* diff/ holds only the layer's own changes (overlay) rather than the whole tree (vfs). */
        bool layers_are_diffs;
        /* How whiteouts of a layer tar are stored when it is applied. */
        enum layer_whiteouts whiteouts;
        /* Can this kernel use the driver?  0 or an error saying what to use instead. */
        int (*probe)(cpod_error_t *err);
        /* Create the driver's own directories in a new or existing store. */
        int (*init)(struct store *s, cpod_error_t *err);
        /* Make <dir>/diff (and what mounting needs) for a new layer on parent (NULL: a base layer). */
        int (*skeleton)(struct store *s, const char *dir, const char *parent, bool rw, cpod_error_t *err);
        /*
         * Make the new container layer at dir (on image layer parent, may be NULL) appear to a user
         * namespace with these mappings as the image did to the host (layer-idmap.h).
         */
        int (*idmap)(struct store *s, const char *dir, const char *parent, const struct idmap *uids,
                     const struct idmap *gids, cpod_error_t *err);
        /* After the layer's directory is in place: a short name to record (ret[0] = 0 for none). */
        int (*publish)(struct store *s, const char *id, char ret_link[27], cpod_error_t *err);
        /* Undo publish before the directory goes. */
        void (*unpublish)(struct store *s, const char *id);
        /* Where the layer's whole tree is seen; caller frees. */
        char *(*mountpoint)(struct store *s, const char *id);
        /* Is target mounted?  Drivers without mounts say true: their tree is always there. */
        bool (*is_mounted)(const char *target);
        /* Mount the layer with its parents at target (extra: options such as "volatile", or NULL). */
        int (*mount)(struct store *s, const char *id, const char *target, const char *extra, cpod_error_t *err);
        int (*unmount)(const char *target, cpod_error_t *err);
        /* Crash repair under the storage lock, after the store's own. */
        void (*repair)(struct store *s);
};

extern const struct store_driver store_driver_overlay, store_driver_vfs;

/* The driver called name, or NULL. */
const struct store_driver *store_driver_find(const char *name);

#endif
