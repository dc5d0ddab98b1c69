/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpod's storage: layers (overlay or vfs), images, and their metadata in
 * <root>/storage/storage.db.  Internal to libcpod.
 *
 * Crash safety.  Every layer or image directory is first built under a
 * temporary name ("<id>.incomplete-<nonce>") while a flock is held on its
 * ".lock" companion, renamed into place, and only then recorded in the DB.
 * A removal deletes the DB record first and remembers the path in the
 * `pending_removal` table until the directory is gone.  store_repair(),
 * run under the storage lock by every writer, finishes pending removals
 * and deletes unlocked temporaries and directories without a record, so a
 * process killed at any point leaves nothing the next writer can't fix.
 *
 * Locking.  Readers use DB snapshots and take no lock.  Writers take the
 * storage flock (<root>/storage/storage.lock) only around metadata
 * commits and renames, never during extraction.  Mount counts live in the
 * runroot, guarded by <runroot>/storage/mounts.lock, and are reset when the
 * boot ID changes.
 */
#ifndef CPOD_STORAGE_STORE_H
#define CPOD_STORAGE_STORE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <cpod/error.h>
#include "util/digest.h"

struct layer_apply_opts;
struct store_driver;

struct store {
        char *graphroot;                /* <root>/storage */
        char *runroot;                  /* <runroot>/storage */
        const struct store_driver *drv; /* storage/driver.h: only lib/storage looks inside */
        char *driver_dir;               /* <graphroot>/overlay or <graphroot>/vfs */
        sqlite3 *db;
};

/* Where the store lives and which driver it uses; the store knows nothing else of its caller. */
struct store_opts {
        const char *graphroot; /* persistent: storage.db, the driver's directory, images/ */
        const char *runroot;   /* volatile: mount counts */
        const char *driver;    /* store_driver_find() knows it: "overlay", "vfs" */
};

/* Open (creating it when new) the store; close it with store_close().  The runtime handle keeps
 * one per command (rt_store() in runtime/runtime-internal.h). */
int store_open(const struct store_opts *o, struct store **ret, cpod_error_t *err);
/* Returns NULL.  Accepts NULL. */
struct store *store_close(struct store *s);
/* The store's part of rt_checkpoint_idle: see db_checkpoint_idle. */
void store_checkpoint_idle(struct store *s);

/*
 * Does each layer's directory hold only its own changes (overlay), so that a layer can be read
 * as a diff, and extracted before its parent is?  Else (vfs) it holds its parent's files too.
 */
bool store_layers_are_diffs(const struct store *s);
/* The driver's name, for messages and `info`: "overlay", "vfs". */
const char *store_driver_name(const struct store *s);

/*
 * A second handle on the same store with its own SQLite connection, for a
 * worker thread (the main handle's connection is opened NOMUTEX and must
 * not be used by two threads at once).  Threads then coordinate like
 * processes do: SQLite's WAL locking and the storage flock.  Free it with
 * store_worker_free() in the thread that is done with it.
 */
int store_worker_open(struct store *s, struct store **ret, cpod_error_t *err);
struct store *store_worker_free(struct store *w);

/* Exclusive storage lock for metadata changes: returns an fd to pass to store_unlock. */
int store_lock(struct store *s, cpod_error_t *err);
void store_unlock(int fd);
/* Finish interrupted work (see above).  Caller holds the storage lock. */
int store_repair(struct store *s, cpod_error_t *err);

/* ---- layers ---- */

enum layer_kind { LAYER_IMAGE = 0, LAYER_CONTAINER = 1 };

struct layer {
        char id[65];
        char *parent; /* NULL for a base layer */
        char diff_id[DIGEST_STR_MAX];
        char compressed_digest[DIGEST_STR_MAX];
        int64_t size; /* uncompressed tar bytes */
        int64_t compressed_size;
        int64_t created; /* unix seconds */
        enum layer_kind kind;
        bool has_tarsplit;
};

void layer_clear(struct layer *l);

/* Look a layer up by full ID.  Returns 0, -ENOENT (err set, kind NO_SUCH_OBJECT) or < 0. */
int store_layer_get(struct store *s, const char *id, struct layer *ret, cpod_error_t *err);
bool store_layer_exists(struct store *s, const char *id);

/*
 * Create image layer `id` (its chain ID) on `parent` by applying a blob
 * read through o->read (with expected digests in o).  Deduplicated: if the
 * layer exists, returns 0 without reading.  The layer is visible only once
 * its digests verified.  o->target_dirfd, o->whiteouts, o->tarsplit_fd are
 * filled in by the store.
 */
int store_layer_apply(struct store *s, const char *id, const char *parent, struct layer_apply_opts *o,
                      struct layer *ret, cpod_error_t *err);

/*
 * Create an empty read-write layer `id` (the caller's fresh random ID: it can note the ID before
 * the layer exists) for a container on top of image layer `parent` (may be NULL).
 */
struct idmap;
/*
 * uids/gids (NULL or empty: none): the user namespace the container runs in; its files appear
 * to it as the image's to the host (the mapping is kept with the layer and used at each mount).
 */
int store_layer_create_rw(struct store *s, const char *parent, const char id[65], const struct idmap *uids,
                          const struct idmap *gids, cpod_error_t *err);

/* Remove a layer (must not be mounted or have children).  Crash-safe. */
int store_layer_delete(struct store *s, const char *id, cpod_error_t *err);

/* Is the layer referenced by an image top or a child layer? */
int store_layer_in_use(struct store *s, const char *id, bool *ret, cpod_error_t *err);

/*
 * Mount a layer with its parents: read-write when it's a container layer
 * (overlay upper = its diff), read-only otherwise.  Counted: the Nth mount
 * returns the same path; store_layer_unmount unmounts when the count drops
 * to zero (or at once with force).  *ret_path is caller-freed.
 */
/* mount_opts: extra overlay options; "volatile" (no syncs, for throw-away layers) falls back when unknown. */
int store_layer_mount(struct store *s, const char *id, const char *mount_opts, char **ret_path, cpod_error_t *err);
int store_layer_unmount(struct store *s, const char *id, bool force, cpod_error_t *err);
/* Current mount count (0 when not mounted). */
int store_layer_mount_count(struct store *s, const char *id);

/* Where the layer is (or would be) mounted: overlay merged dir, or the vfs tree itself. */
char *store_layer_mountpoint(struct store *s, const char *id);
/* Directory holding the layer's own files (overlay diff, or the vfs tree). Caller frees. */
char *store_layer_diff_dir(struct store *s, const char *id);
/*
 * An O_RDONLY directory fd of the layer's diff dir as the image saw it: for a container layer
 * created with an ID mapping, a detached idmapped mount mapping the host IDs back (what
 * commit tars); else the directory itself.
 */
int store_layer_diff_open(struct store *s, const char *id, cpod_error_t *err);
/* Chain of ids from `id` down to the base layer, top first (NULL-terminated, caller frees). */
int store_layer_chain(struct store *s, const char *id, char ***ret, cpod_error_t *err);

/* Write the layer's original uncompressed tar to write(). Verifies the diff ID. */
int store_layer_tar(struct store *s, const char *id, int (*write)(void *ud, const void *buf, size_t len), void *ud,
                    cpod_error_t *err);

/* ---- images ---- */

struct image_rec {
        char id[65];          /* config digest hex */
        char *top_layer;      /* NULL for an image without layers */
        char **names;         /* "docker.io/library/busybox:latest", ... (NULL-terminated, maybe empty) */
        char **names_history; /* every name it has had, most recent first (store_image_get only) */
        char **digests;       /* manifest digests this image is known by */
        char *digest;         /* the manifest digest it was pulled/loaded with */
        int64_t created;      /* from the config, unix seconds */
        int64_t added;        /* when stored */
        int64_t size;         /* sum of layer sizes */
        char *manifest_type;
        char *arch, *os;
};
void image_rec_clear(struct image_rec *r);
void image_recs_free(struct image_rec *v, size_t n);

struct bigdata {
        const char *key; /* "manifest", "config", ... */
        const void *data;
        size_t len;
};

struct image_new {
        const char *id;
        const char *top_layer;
        char *const *names;   /* moved from other images if they hold them */
        const char *digest;   /* the primary manifest digest */
        char *const *digests; /* more digests it's known by (a manifest list's), may be NULL */
        int64_t created;
        int64_t size;
        const char *manifest_type, *arch, *os;
        const struct bigdata *bigdata;
        size_t n_bigdata;
};

/* Record an image (or add names/digests/big data to an existing one with this ID). */
int store_image_create(struct store *s, const struct image_new *n, cpod_error_t *err);
int store_image_get(struct store *s, const char *id, struct image_rec *ret, cpod_error_t *err);
/* All images, newest first. */
int store_image_list(struct store *s, struct image_rec **ret, size_t *ret_n, cpod_error_t *err);
bool store_image_exists(struct store *s, const char *id);
/* Image holding exactly this name, or -ENOENT. */
int store_image_by_name(struct store *s, const char *name, char ret_id[65], cpod_error_t *err);
/* Image known by this manifest digest, or -ENOENT. */
int store_image_by_digest(struct store *s, const char *digest, char ret_id[65], cpod_error_t *err);
/* Full IDs starting with prefix (at most max, NULL-terminated). */
int store_image_ids_by_prefix(struct store *s, const char *prefix, char ***ret, cpod_error_t *err);
int store_image_add_name(struct store *s, const char *id, const char *name, cpod_error_t *err);
/* Remove a name; -ENOENT when the image doesn't hold it. */
int store_image_remove_name(struct store *s, const char *id, const char *name, cpod_error_t *err);
/* Remove the image record, its big data and every layer no longer used.  Crash-safe. */
int store_image_delete(struct store *s, const char *id, cpod_error_t *err);
int store_image_bigdata(struct store *s, const char *id, const char *key, char **ret, size_t *ret_len,
                        cpod_error_t *err);

/* chainID(parent, diff_id) per the OCI image spec, as 64 hex digits. */
void layer_chain_id(const char *parent_chain_hex, const char *diff_id, char ret[65]);

/* Generate a random 64-hex-digit ID. */
void random_id(char ret[65]);

/* An unnamed temporary file (O_RDWR) in <graphroot>/tmp: gone when closed, also after a crash. */
int store_tmpfile(struct store *s, cpod_error_t *err);

#endif
