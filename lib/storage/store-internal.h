/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the storage files; not for other modules. */
#ifndef CPOD_STORAGE_STORE_INTERNAL_H
#define CPOD_STORAGE_STORE_INTERNAL_H

#include "storage/store.h"

/* A private temp dir under <graphroot>/tmp, kept alive by a flock on "<dir>.lock". */
struct workspace {
        char *dir;
        int lockfd;
};
/* clang-format off */
#define WORKSPACE_INIT { NULL, -1 }
/* clang-format on */

int workspace_new(struct store *s, struct workspace *ws, cpod_error_t *err);
/* Remove the workspace and its lock (also after failures). */
void workspace_done(struct workspace *ws);

/* Crash marker: set before a multi-step change under the storage lock, cleared after. */
int store_mark_dirty(struct store *s, cpod_error_t *err);
void store_mark_clean(struct store *s);

/* <driver_dir>/<id>; caller frees. */
char *store_layer_dir(struct store *s, const char *id);
/* Delete a layer; caller holds the storage lock. */
int layer_delete_locked(struct store *s, const char *id, cpod_error_t *err);
/* Drop the mount count record of a deleted layer. */
void store_mount_count_forget(struct store *s, const char *id);

#endif
