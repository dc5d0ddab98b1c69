/* SPDX-License-Identifier: Apache-2.0 */
/* Layer records and their directories: apply (image layers), create (rw layers), delete. */
#include "storage/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "storage/driver.h"
#include "storage/layer-apply.h"
#include "storage/layer-idmap.h"
#include "storage/store-internal.h"
#include "util/cleanup.h"
#include "util/db.h"
#include "util/exec.h"
#include "util/failpoint.h"
#include "util/fileutil.h"
#include "util/log.h"
#include "util/shims.h"
#include "util/random.h"
#include "util/xalloc.h"

void random_id(char ret[65])
{
        static const char hex[] = "0123456789abcdef";
        unsigned char b[32];

        random_bytes(b, sizeof(b));
        for (int i = 0; i < 32; i++) {
                ret[2 * i] = hex[b[i] >> 4];
                ret[2 * i + 1] = hex[b[i] & 15];
        }
        ret[64] = '\0';
}

void layer_chain_id(const char *parent_chain_hex, const char *diff_id, char ret[65])
{
        char d[DIGEST_STR_MAX];

        if (!parent_chain_hex) {
                snprintf(ret, 65, "%s", digest_hex(diff_id));
                return;
        }
        {
                _cleanup_free_ char *s = xasprintf("sha256:%s %s", parent_chain_hex, diff_id);
                digest_buf(s, strlen(s), d);
        }
        snprintf(ret, 65, "%s", digest_hex(d));
}

void layer_clear(struct layer *l)
{
        free(l->parent);
        memset(l, 0, sizeof(*l));
}

static void fill_layer(sqlite3_stmt *st, struct layer *l)
{
        memset(l, 0, sizeof(*l));
        snprintf(l->id, sizeof(l->id), "%s", db_col_text(st, 0));
        l->parent = xstrdup(db_col_text(st, 1));
        snprintf(l->diff_id, sizeof(l->diff_id), "%s", db_col_text(st, 2) ? db_col_text(st, 2) : "");
        snprintf(l->compressed_digest, sizeof(l->compressed_digest), "%s",
                 db_col_text(st, 3) ? db_col_text(st, 3) : "");
        l->size = sqlite3_column_int64(st, 4);
        l->compressed_size = sqlite3_column_int64(st, 5);
        l->created = sqlite3_column_int64(st, 6);
        l->kind = (enum layer_kind)sqlite3_column_int(st, 7);
        l->has_tarsplit = sqlite3_column_int(st, 8) != 0;
}

int store_layer_get(struct store *s, const char *id, struct layer *ret, cpod_error_t *err)
{
        _cleanup_stmt_ sqlite3_stmt *st = db_prepare(
                s->db,
                "SELECT id, parent, diff_id, compressed_digest, size, compressed_size, created, kind, has_tarsplit "
                "FROM layers WHERE id = ?",
                err);
        int rc;

        if (!st)
                return cpod_error_rc(err, -EIO);
        db_bind_text(st, 1, id);
        rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
                return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_OBJECT, "layer not known: %s", id);
        if (rc != SQLITE_ROW)
                return db_error(s->db, "read layer", err);
        if (ret)
                fill_layer(st, ret);
        return 0;
}

bool store_layer_exists(struct store *s, const char *id)
{
        return store_layer_get(s, id, NULL, NULL) == 0;
}

char *store_layer_dir(struct store *s, const char *id)
{
        return path_join(s->driver_dir, id);
}

char *store_layer_diff_dir(struct store *s, const char *id)
{
        return xasprintf("%s/%s/diff", s->driver_dir, id);
}

int store_layer_diff_open(struct store *s, const char *id, cpod_error_t *err)
{
        _cleanup_free_ char *dir = store_layer_dir(s, id);

        return layer_idmap_open_unmapped(dir, err);
}

/* A fresh workspace <graphroot>/tmp/<nonce> with its flock held (see store.c repair_tmp). */
int workspace_new(struct store *s, struct workspace *ws, cpod_error_t *err)
{
        char nonce[65];
        _cleanup_free_ char *lock = NULL;

        random_id(nonce);
        nonce[16] = '\0';
        ws->dir = xasprintf("%s/tmp/%s", s->graphroot, nonce);
        lock = xasprintf("%s.lock", ws->dir);
        ws->lockfd = open(lock, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (ws->lockfd < 0 || flock(ws->lockfd, LOCK_EX) < 0 || mkdir(ws->dir, 0700) < 0) {
                int r = cpod_error_sys(err, errno, "create workspace '%s'", ws->dir);
                workspace_done(ws);
                return r;
        }
        return 0;
}

void workspace_done(struct workspace *ws)
{
        if (ws->dir) {
                _cleanup_free_ char *lock = xasprintf("%s.lock", ws->dir);
                (void)rm_rf(ws->dir, NULL);
                (void)unlink(lock);
        }
        if (ws->lockfd >= 0)
                close(ws->lockfd);
        free(ws->dir);
        ws->dir = NULL;
        ws->lockfd = -1;
}

static int insert_layer(struct store *s, const struct layer *l, const char *link, cpod_error_t *err)
{
        _cleanup_stmt_ sqlite3_stmt *st = db_prepare(
                s->db,
                "INSERT INTO layers (id, parent, diff_id, compressed_digest, size, compressed_size, created, kind, "
                "has_tarsplit, link) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                err);

        if (!st)
                return cpod_error_rc(err, -EIO);
        db_bind_text(st, 1, l->id);
        db_bind_text(st, 2, l->parent);
        db_bind_text(st, 3, l->diff_id[0] ? l->diff_id : NULL);
        db_bind_text(st, 4, l->compressed_digest[0] ? l->compressed_digest : NULL);
        db_bind_int64(st, 5, l->size);
        db_bind_int64(st, 6, l->compressed_size);
        db_bind_int64(st, 7, l->created);
        db_bind_int64(st, 8, l->kind);
        db_bind_int64(st, 9, l->has_tarsplit);
        db_bind_text(st, 10, link && *link ? link : NULL);
        return db_step_done(st, err);
}

/* Move a finished layer dir into place and record it; caller holds the storage lock. */
static int publish_layer(struct store *s, const char *from, struct layer *l, cpod_error_t *err)
{
        _cleanup_free_ char *dest = store_layer_dir(s, l->id);
        char link[27];

        if (store_mark_dirty(s, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (rename(from, dest) < 0)
                return cpod_error_sys(err, errno, "rename '%s' to '%s'", from, dest);
        if (s->drv->publish(s, l->id, link, err) < 0 || failpoint("layer-before-commit", err) < 0 ||
            insert_layer(s, l, link, err) < 0)
                return cpod_error_rc(err, -EIO); /* the dirty mark makes the next writer remove the unrecorded dir */
        store_mark_clean(s);
        return 0;
}

static int extract(struct store *s, const char *dir, struct layer_apply_opts *o, struct layer *l, cpod_error_t *err)
{
        _cleanup_free_ char *diff = path_join(dir, "diff"), *ts = path_join(dir, "tar-split");
        _cleanup_close_ int dfd = open(diff, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        _cleanup_close_ int tfd = open(ts, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        struct layer_apply_result res;

        if (dfd < 0 || tfd < 0)
                return cpod_error_sys(err, errno, "open layer directory '%s'", dir);
        o->target_dirfd = dfd;
        o->tarsplit_fd = tfd;
        o->whiteouts = s->drv->whiteouts;
        if (layer_apply(o, &res, err) < 0)
                return cpod_error_rc(err, -EIO);
        /* The layer becomes visible by rename: its files must be on disk first. */
        if (syncfs(dfd) < 0)
                return cpod_error_sys(err, errno, "sync '%s'", diff);
        snprintf(l->diff_id, sizeof(l->diff_id), "%s", res.diff_id);
        snprintf(l->compressed_digest, sizeof(l->compressed_digest), "%s", res.compressed_digest);
        l->size = (int64_t)res.size;
        l->compressed_size = (int64_t)res.compressed_size;
        l->has_tarsplit = true;
        return 0;
}

int store_layer_apply(struct store *s, const char *id, const char *parent, struct layer_apply_opts *o,
                      struct layer *ret, cpod_error_t *err)
{
        struct workspace ws = WORKSPACE_INIT;
        struct layer l = { 0 };
        _cleanup_free_ char *dir = NULL;
        int lockfd = -1, r;

        if (store_layer_exists(s, id))
                return ret ? store_layer_get(s, id, ret, err) : 0;
        if ((r = crypto_shim_open(err)) < 0 || (r = workspace_new(s, &ws, err)) < 0)
                return r;
        dir = path_join(ws.dir, "layer");
        snprintf(l.id, sizeof(l.id), "%s", id);
        l.parent = xstrdup(parent);
        l.created = time(NULL);
        l.kind = LAYER_IMAGE;
        r = s->drv->skeleton(s, dir, parent, false, err);
        if (r == 0)
                r = extract(s, dir, o, &l, err);
        if (r == 0)
                r = failpoint("layer-after-extract", err);
        if (r == 0 && (lockfd = store_lock(s, err)) < 0)
                r = lockfd;
        if (r == 0 && !store_layer_exists(s, id)) /* a concurrent pull may have won */
                r = publish_layer(s, dir, &l, err);
        store_unlock(lockfd);
        workspace_done(&ws);
        if (r == 0 && ret)
                r = store_layer_get(s, id, ret, err);
        layer_clear(&l);
        return r;
}

int store_layer_create_rw(struct store *s, const char *parent, const char id[65], const struct idmap *uids,
                          const struct idmap *gids, cpod_error_t *err)
{
        struct layer l = { 0 };
        _cleanup_free_ char *dir = NULL;
        char link[27];
        int lockfd, r;

        snprintf(l.id, sizeof(l.id), "%s", id);
        l.parent = xstrdup(parent);
        l.created = time(NULL);
        l.kind = LAYER_CONTAINER;
        dir = store_layer_dir(s, l.id);
        if ((lockfd = store_lock(s, err)) < 0) {
                layer_clear(&l);
                return lockfd;
        }
        r = store_mark_dirty(s, err);
        if (r == 0)
                r = s->drv->skeleton(s, dir, parent, true, err);
        if (r == 0 && uids && uids->n)
                r = s->drv->idmap(s, dir, parent, uids, gids, err);
        if (r < 0)
                (void)rm_rf(dir, NULL);
        if (r == 0)
                r = s->drv->publish(s, l.id, link, err);
        if (r == 0)
                r = insert_layer(s, &l, link, err);
        if (r == 0)
                store_mark_clean(s);
        store_unlock(lockfd);
        layer_clear(&l);
        return r;
}

int store_layer_in_use(struct store *s, const char *id, bool *ret, cpod_error_t *err)
{
        _cleanup_stmt_ sqlite3_stmt *st = db_prepare(
                s->db,
                "SELECT 1 FROM layers WHERE parent = ?1 UNION ALL SELECT 1 FROM images WHERE top_layer = ?1 LIMIT 1",
                err);

        if (!st)
                return cpod_error_rc(err, -EIO);
        db_bind_text(st, 1, id);
        *ret = sqlite3_step(st) == SQLITE_ROW;
        return 0;
}

int layer_delete_locked(struct store *s, const char *id, cpod_error_t *err)
{
        _cleanup_stmt_ sqlite3_stmt *st = NULL;
        _cleanup_free_ char *dir = store_layer_dir(s, id);
        bool used;

        if (store_layer_in_use(s, id, &used, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (used)
                return cpod_error_set(err, EBUSY, CPOD_E_IN_USE, "layer %s is in use", id);
        if (store_layer_mount_count(s, id) > 0 && store_layer_unmount(s, id, true, err) < 0)
                return cpod_error_rc(err, -EBUSY);
        if (store_mark_dirty(s, err) < 0)
                return cpod_error_rc(err, -EIO);
        st = db_prepare(s->db, "DELETE FROM layers WHERE id = ?", err);
        if (!st)
                return cpod_error_rc(err, -EIO);
        db_bind_text(st, 1, id);
        if (db_step_done(st, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (failpoint("layer-remove-mid", err) < 0)
                return cpod_error_rc(err, -EIO);
        s->drv->unpublish(s, id);
        if (rm_rf(dir, err) < 0)
                return cpod_error_rc(err, -EIO);
        store_mount_count_forget(s, id);
        store_mark_clean(s);
        return 0;
}

int store_layer_delete(struct store *s, const char *id, cpod_error_t *err)
{
        int lockfd = store_lock(s, err), r;

        if (lockfd < 0)
                return lockfd;
        r = layer_delete_locked(s, id, err);
        store_unlock(lockfd);
        return r;
}

int store_layer_chain(struct store *s, const char *id, char ***ret, cpod_error_t *err)
{
        _cleanup_stmt_ sqlite3_stmt *st = db_prepare(
                s->db,
                "WITH RECURSIVE chain(id, parent, depth) AS ("
                "  SELECT id, parent, 0 FROM layers WHERE id = ?"
                "  UNION ALL SELECT l.id, l.parent, c.depth + 1 FROM layers l JOIN chain c ON l.id = c.parent"
                "  WHERE c.depth < 1000)"
                " SELECT id FROM chain ORDER BY depth",
                err);
        char **v = NULL;
        size_t n = 0;

        if (!st)
                return cpod_error_rc(err, -EIO);
        db_bind_text(st, 1, id);
        v = xnew0(char *, 1);
        while (sqlite3_step(st) == SQLITE_ROW) {
                v = xreallocarray(v, n + 2, sizeof(char *));
                v[n++] = xstrdup(db_col_text(st, 0));
                v[n] = NULL;
        }
        if (n == 0) {
                free(v);
                return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_OBJECT, "layer not known: %s", id);
        }
        *ret = v;
        return 0;
}
