/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Image records: one row per image (ID = config digest), its names, the
 * manifest digests it is known by, and big data (manifest, config) kept as
 * files in <graphroot>/images/<id>/ with an index row each.
 */
#include "storage/store.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "storage/store-internal.h"
#include "util/cleanup.h"
#include "util/db.h"
#include "util/failpoint.h"
#include "util/fileutil.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

void image_rec_clear(struct image_rec *r)
{
        free(r->top_layer);
        strv_free(r->names);
        strv_free(r->names_history);
        strv_free(r->digests);
        free(r->digest);
        free(r->manifest_type);
        free(r->arch);
        free(r->os);
        memset(r, 0, sizeof(*r));
}

void image_recs_free(struct image_rec *v, size_t n)
{
        for (size_t i = 0; i < n; i++)
                image_rec_clear(&v[i]);
        free(v);
}

static char *image_dir(struct store *s, const char *id)
{
        return xasprintf("%s/images/%s", s->graphroot, id);
}

/* Big data keys become file names: keep [A-Za-z0-9._-], hex-escape the rest. */
static char *bigdata_file(struct store *s, const char *id, const char *key)
{
        struct strbuf sb = STRBUF_INIT;

        strbuf_addf(&sb, "%s/images/%s/=", s->graphroot, id);
        for (const char *p = key; *p; p++) {
                unsigned char c = (unsigned char)*p;
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-')
                        strbuf_addch(&sb, c);
                else
                        strbuf_addf(&sb, "%%%02x", c);
        }
        return strbuf_detach(&sb, NULL);
}

static int write_bigdata_files(struct store *s, const char *dir, const struct image_new *n, cpod_error_t *err)
{
        for (size_t i = 0; i < n->n_bigdata; i++) {
                _cleanup_free_ char *f = bigdata_file(s, n->id, n->bigdata[i].key);
                _cleanup_free_ char *p = path_join(dir, strrchr(f, '/') + 1);
                if (write_file_atomic(p, n->bigdata[i].data, n->bigdata[i].len, 0600, err) < 0)
                        return cpod_error_rc(err, -EIO);
        }
        return 0;
}

static int exec_bind2(struct store *s, const char *sql, const char *a, const char *b, cpod_error_t *err)
{
        _cleanup_stmt_ sqlite3_stmt *st = db_prepare(s->db, sql, err);

        if (!st)
                return cpod_error_rc(err, -EIO);
        db_bind_text(st, 1, a);
        db_bind_text(st, 2, b);
        return db_step_done(st, err);
}

static int insert_image_row(struct store *s, const struct image_new *n, cpod_error_t *err)
{
        _cleanup_stmt_ sqlite3_stmt *st = db_prepare(
                s->db,
                "INSERT OR IGNORE INTO images (id, top_layer, digest, created, added, size, manifest_type, arch, os) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                err);

        if (!st)
                return cpod_error_rc(err, -EIO);
        db_bind_text(st, 1, n->id);
        db_bind_text(st, 2, n->top_layer);
        db_bind_text(st, 3, n->digest);
        db_bind_int64(st, 4, n->created);
        db_bind_int64(st, 5, time(NULL));
        db_bind_int64(st, 6, n->size);
        db_bind_text(st, 7, n->manifest_type);
        db_bind_text(st, 8, n->arch);
        db_bind_text(st, 9, n->os);
        return db_step_done(st, err);
}

static int insert_bigdata_rows(struct store *s, const struct image_new *n, cpod_error_t *err)
{
        for (size_t i = 0; i < n->n_bigdata; i++) {
                _cleanup_stmt_ sqlite3_stmt *st = db_prepare(
                        s->db, "INSERT OR REPLACE INTO image_bigdata (image_id, key, digest, size) VALUES (?,?,?,?)",
                        err);
                char d[DIGEST_STR_MAX];

                if (!st)
                        return cpod_error_rc(err, -EIO);
                digest_buf(n->bigdata[i].data, n->bigdata[i].len, d);
                db_bind_text(st, 1, n->id);
                db_bind_text(st, 2, n->bigdata[i].key);
                db_bind_text(st, 3, d);
                db_bind_int64(st, 4, (int64_t)n->bigdata[i].len);
                if (db_step_done(st, err) < 0)
                        return cpod_error_rc(err, -EIO);
        }
        return 0;
}

static int load_strv(struct store *s, const char *sql, const char *id, char ***ret, cpod_error_t *err);

/*
 * The names pulled or loaded go first, the image's earlier names after them (as containers/image
 * does when an image arrives again under another name).  Names are ordered by rowid: re-inserting
 * a row moves it last.
 */
/* A name given to an image goes to the front of its history (kept after the name is removed). */
static int note_history(struct store *s, const char *id, const char *name, cpod_error_t *err)
{
        return exec_bind2(s,
                          "INSERT OR REPLACE INTO image_names_history (image_id, name, seq) VALUES (?1, ?2, "
                          "(SELECT COALESCE(MAX(seq), 0) + 1 FROM image_names_history))",
                          id, name, err);
}

static int record_names(struct store *s, const struct image_new *n, cpod_error_t *err)
{
        _cleanup_strv_ char **old = NULL;

        if (!n->names || !n->names[0])
                return 0;
        if (load_strv(s, "SELECT name FROM image_names WHERE image_id = ? ORDER BY rowid", n->id, &old, err) < 0)
                return cpod_error_rc(err, -EIO);
        for (char *const *nm = n->names; *nm; nm++)
                if (exec_bind2(s, "INSERT OR REPLACE INTO image_names (image_id, name) VALUES (?, ?)", n->id, *nm,
                               err) < 0 ||
                    note_history(s, n->id, *nm, err) < 0)
                        return cpod_error_rc(err, -EIO);
        for (char **nm = old; *nm; nm++)
                if (!strv_contains(n->names, *nm) &&
                    exec_bind2(s, "INSERT OR REPLACE INTO image_names (image_id, name) VALUES (?, ?)", n->id, *nm,
                               err) < 0)
                        return cpod_error_rc(err, -EIO);
        return 0;
}

static int record_image(struct store *s, const struct image_new *n, cpod_error_t *err)
{
        if (db_begin(s->db, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (insert_image_row(s, n, err) < 0 || insert_bigdata_rows(s, n, err) < 0)
                goto fail;
        if (n->digest && exec_bind2(s, "INSERT OR IGNORE INTO image_digests (image_id, digest) VALUES (?, ?)", n->id,
                                    n->digest, err) < 0)
                goto fail;
        for (char *const *d = n->digests; d && *d; d++)
                if (exec_bind2(s, "INSERT OR IGNORE INTO image_digests (image_id, digest) VALUES (?, ?)", n->id, *d,
                               err) < 0)
                        goto fail;
        if (record_names(s, n, err) < 0)
                goto fail;
        if (failpoint("image-before-commit", err) < 0)
                goto fail;
        return db_commit(s->db, err);
fail:
        db_rollback(s->db);
        return cpod_error_rc(err, -EIO);
}

int store_image_create(struct store *s, const struct image_new *n, cpod_error_t *err)
{
        struct workspace ws = WORKSPACE_INIT;
        _cleanup_free_ char *dest = image_dir(s, n->id), *staged = NULL;
        int lockfd = -1, r;

        if ((r = workspace_new(s, &ws, err)) < 0)
                return r;
        staged = path_join(ws.dir, "image");
        if (mkdir(staged, 0700) < 0)
                r = cpod_error_sys(err, errno, "mkdir '%s'", staged);
        if (r == 0)
                r = write_bigdata_files(s, staged, n, err);
        if (r == 0 && (lockfd = store_lock(s, err)) < 0)
                r = lockfd;
        if (r == 0)
                r = store_mark_dirty(s, err);
        if (r == 0 && !is_dir(dest) && rename(staged, dest) < 0)
                r = cpod_error_sys(err, errno, "rename '%s'", dest);
        else if (r == 0 && path_exists(staged)) /* existing image: add or replace its big data */
                r = write_bigdata_files(s, dest, n, err);
        if (r == 0)
                r = record_image(s, n, err);
        if (r == 0)
                store_mark_clean(s);
        store_unlock(lockfd);
        workspace_done(&ws);
        return r;
}

static int load_strv(struct store *s, const char *sql, const char *id, char ***ret, cpod_error_t *err)
{
        _cleanup_stmt_ sqlite3_stmt *st = db_prepare(s->db, sql, err);

        if (!st)
                return cpod_error_rc(err, -EIO);
        db_bind_text(st, 1, id);
        *ret = xnew0(char *, 1);
        while (sqlite3_step(st) == SQLITE_ROW)
                strv_add(ret, db_col_text(st, 0));
        return 0;
}

#define IMAGE_COLS "id, top_layer, digest, created, added, size, manifest_type, arch, os"

static void fill_image(sqlite3_stmt *st, struct image_rec *r)
{
        memset(r, 0, sizeof(*r));
        snprintf(r->id, sizeof(r->id), "%s", db_col_text(st, 0));
        r->top_layer = xstrdup(db_col_text(st, 1));
        r->digest = xstrdup(db_col_text(st, 2));
        r->created = sqlite3_column_int64(st, 3);
        r->added = sqlite3_column_int64(st, 4);
        r->size = sqlite3_column_int64(st, 5);
        r->manifest_type = xstrdup(db_col_text(st, 6));
        r->arch = xstrdup(db_col_text(st, 7));
        r->os = xstrdup(db_col_text(st, 8));
}

int store_image_get(struct store *s, const char *id, struct image_rec *ret, cpod_error_t *err)
{
        _cleanup_stmt_ sqlite3_stmt *st = db_prepare(s->db, "SELECT " IMAGE_COLS " FROM images WHERE id = ?", err);
        int rc;

        if (!st)
                return cpod_error_rc(err, -EIO);
        db_bind_text(st, 1, id);
        rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
                return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_IMAGE, "%s: image not known", id);
        if (rc != SQLITE_ROW)
                return db_error(s->db, "read image", err);
        fill_image(st, ret);
        if (load_strv(s, "SELECT name FROM image_names WHERE image_id = ? ORDER BY rowid", id, &ret->names, err) < 0 ||
            load_strv(s, "SELECT name FROM image_names_history WHERE image_id = ? ORDER BY seq DESC", id,
                      &ret->names_history, err) < 0 ||
            load_strv(s, "SELECT digest FROM image_digests WHERE image_id = ? ORDER BY rowid", id, &ret->digests, err) <
                    0) {
                image_rec_clear(ret);
                return cpod_error_rc(err, -EIO);
        }
        return 0;
}

/* Attach names or digests from one query over all images to the records (sorted by id). */
static int cmp_rec_ptr_id(const void *a, const void *b)
{
        return strcmp((*(struct image_rec *const *)a)->id, (*(struct image_rec *const *)b)->id);
}

/* Rows of (image_id, value) appended to the strv at `field` of each image; images found by binary search. */
static int attach_all(struct store *s, const char *sql, struct image_rec *v, size_t n, size_t field, cpod_error_t *err)
{
        _cleanup_stmt_ sqlite3_stmt *st = db_prepare(s->db, sql, err);
        _cleanup_free_ struct image_rec **by_id = xnew0(struct image_rec *, n + 1);
        struct image_rec key, *keyp = &key;

        if (!st)
                return cpod_error_rc(err, -EIO);
        for (size_t i = 0; i < n; i++)
                by_id[i] = &v[i];
        qsort(by_id, n, sizeof(*by_id), cmp_rec_ptr_id);
        while (sqlite3_step(st) == SQLITE_ROW) {
                struct image_rec **hit;
                snprintf(key.id, sizeof(key.id), "%s", db_col_text(st, 0));
                hit = bsearch(&keyp, by_id, n, sizeof(*by_id), cmp_rec_ptr_id);
                if (hit)
                        strv_add((char ***)((char *)*hit + field), db_col_text(st, 1));
        }
        return 0;
}

int store_image_list(struct store *s, struct image_rec **ret, size_t *ret_n, cpod_error_t *err)
{
        _cleanup_stmt_ sqlite3_stmt *st =
                db_prepare(s->db, "SELECT " IMAGE_COLS " FROM images ORDER BY created DESC, added DESC", err);
        struct image_rec *v = NULL;
        size_t n = 0;

        if (!st)
                return cpod_error_rc(err, -EIO);
        while (sqlite3_step(st) == SQLITE_ROW) {
                v = xreallocarray(v, n + 1, sizeof(*v));
                fill_image(st, &v[n]);
                v[n].names = xnew0(char *, 1);
                v[n].names_history = xnew0(char *, 1);
                v[n].digests = xnew0(char *, 1);
                n++;
        }
        if (attach_all(s, "SELECT image_id, name FROM image_names ORDER BY rowid", v, n,
                       offsetof(struct image_rec, names), err) < 0 ||
            attach_all(s, "SELECT image_id, name FROM image_names_history ORDER BY seq DESC", v, n,
                       offsetof(struct image_rec, names_history), err) < 0 ||
            attach_all(s, "SELECT image_id, digest FROM image_digests ORDER BY rowid", v, n,
                       offsetof(struct image_rec, digests), err) < 0) {
                image_recs_free(v, n);
                return cpod_error_rc(err, -EIO);
        }
        *ret = v;
        *ret_n = n;
        return 0;
}

static int one_id(struct store *s, const char *sql, const char *arg, char ret_id[65], const char *what,
                  cpod_error_t *err)
{
        _cleanup_stmt_ sqlite3_stmt *st = db_prepare(s->db, sql, err);

        if (!st)
                return cpod_error_rc(err, -EIO);
        db_bind_text(st, 1, arg);
        if (sqlite3_step(st) != SQLITE_ROW)
                return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_IMAGE, "%s: image not known", what);
        snprintf(ret_id, 65, "%s", db_col_text(st, 0));
        return 0;
}

bool store_image_exists(struct store *s, const char *id)
{
        char tmp[65];

        return one_id(s, "SELECT id FROM images WHERE id = ?", id, tmp, id, NULL) == 0;
}

int store_image_by_name(struct store *s, const char *name, char ret_id[65], cpod_error_t *err)
{
        return one_id(s, "SELECT image_id FROM image_names WHERE name = ?", name, ret_id, name, err);
}

int store_image_by_digest(struct store *s, const char *digest, char ret_id[65], cpod_error_t *err)
{
        return one_id(s, "SELECT image_id FROM image_digests WHERE digest = ? LIMIT 1", digest, ret_id, digest, err);
}

int store_image_ids_by_prefix(struct store *s, const char *prefix, char ***ret, cpod_error_t *err)
{
        _cleanup_free_ char *pat = xasprintf("%s%%", prefix);

        for (const char *p = prefix; *p; p++)
                if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) {
                        *ret = xnew0(char *, 1);
                        return 0;
                }
        return load_strv(s, "SELECT id FROM images WHERE id LIKE ? LIMIT 10", pat, ret, err);
}

int store_image_add_name(struct store *s, const char *id, const char *name, cpod_error_t *err)
{
        int lockfd = store_lock(s, err), r;

        if (lockfd < 0)
                return lockfd;
        r = exec_bind2(s, "INSERT OR REPLACE INTO image_names (image_id, name) VALUES (?, ?)", id, name, err);
        if (r == 0)
                r = note_history(s, id, name, err);
        store_unlock(lockfd);
        return r;
}

int store_image_remove_name(struct store *s, const char *id, const char *name, cpod_error_t *err)
{
        int lockfd = store_lock(s, err), r;

        if (lockfd < 0)
                return lockfd;
        r = exec_bind2(s, "DELETE FROM image_names WHERE image_id = ? AND name = ?", id, name, err);
        if (r == 0 && sqlite3_changes(s->db) == 0)
                r = cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_IMAGE, "%s: tag not known", name);
        store_unlock(lockfd);
        return r;
}

/* Delete unused layers from `top` downwards; caller holds the lock. */
static int prune_chain(struct store *s, const char *top, cpod_error_t *err)
{
        _cleanup_free_ char *id = xstrdup(top);

        while (id) {
                struct layer l;
                bool used;
                char *parent;

                if (store_layer_get(s, id, &l, NULL) < 0)
                        return 0;
                parent = TAKE_PTR(l.parent);
                layer_clear(&l);
                if (store_layer_in_use(s, id, &used, err) < 0 || used) {
                        free(parent);
                        return used ? 0 : -EIO;
                }
                if (layer_delete_locked(s, id, err) < 0) {
                        free(parent);
                        return cpod_error_rc(err, -EIO);
                }
                free(id);
                id = parent;
        }
        return 0;
}

int store_image_delete(struct store *s, const char *id, cpod_error_t *err)
{
        struct image_rec rec = { 0 };
        _cleanup_free_ char *dir = image_dir(s, id);
        int lockfd, r;

        if ((lockfd = store_lock(s, err)) < 0)
                return lockfd;
        r = store_image_get(s, id, &rec, err);
        if (r == 0)
                r = store_mark_dirty(s, err);
        if (r == 0)
                r = exec_bind2(s, "DELETE FROM images WHERE id = ?", id, NULL, err);
        if (r == 0)
                r = failpoint("image-remove-mid", err);
        if (r == 0)
                r = rm_rf(dir, err);
        if (r == 0 && rec.top_layer)
                r = prune_chain(s, rec.top_layer, err);
        if (r == 0)
                store_mark_clean(s);
        if (rec.id[0])
                image_rec_clear(&rec);
        store_unlock(lockfd);
        return r;
}

int store_image_bigdata(struct store *s, const char *id, const char *key, char **ret, size_t *ret_len,
                        cpod_error_t *err)
{
        _cleanup_free_ char *f = bigdata_file(s, id, key);

        if (read_file(f, ret, ret_len, 64u << 20, err) < 0)
                return cpod_error_wrap(err, "image %s: read %s", id, key);
        return 0;
}
