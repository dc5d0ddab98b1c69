/* SPDX-License-Identifier: Apache-2.0 */
/* Opening the store, its schema, the storage lock and crash repair. */
#include "storage/store.h"
#include "storage/store-internal.h"
#include "storage/driver.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/db.h"
#include "util/fileutil.h"
#include "util/log.h"
#include "util/xalloc.h"

static const char *const schema[] = {
        /* version 1 */
        "CREATE TABLE layers ("
        "  id TEXT PRIMARY KEY,"
        "  parent TEXT REFERENCES layers(id),"
        "  diff_id TEXT, compressed_digest TEXT,"
        "  size INTEGER NOT NULL DEFAULT 0, compressed_size INTEGER NOT NULL DEFAULT 0,"
        "  created INTEGER NOT NULL, kind INTEGER NOT NULL,"
        "  has_tarsplit INTEGER NOT NULL DEFAULT 0, link TEXT);"
        "CREATE INDEX layers_parent ON layers(parent);"
        "CREATE INDEX layers_diff_id ON layers(diff_id);"
        "CREATE TABLE images ("
        "  id TEXT PRIMARY KEY,"
        "  top_layer TEXT REFERENCES layers(id),"
        "  digest TEXT, created INTEGER NOT NULL, added INTEGER NOT NULL,"
        "  size INTEGER NOT NULL DEFAULT 0, manifest_type TEXT, arch TEXT, os TEXT);"
        "CREATE INDEX images_top ON images(top_layer);"
        "CREATE TABLE image_names ("
        "  name TEXT PRIMARY KEY,"
        "  image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE);"
        "CREATE INDEX image_names_image ON image_names(image_id);"
        "CREATE TABLE image_digests ("
        "  image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,"
        "  digest TEXT NOT NULL, PRIMARY KEY (image_id, digest));"
        "CREATE INDEX image_digests_digest ON image_digests(digest);"
        "CREATE TABLE image_bigdata ("
        "  image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,"
        "  key TEXT NOT NULL, digest TEXT, size INTEGER NOT NULL,"
        "  PRIMARY KEY (image_id, key));",
        /* version 2: every name an image has had, most recent last (podman's NamesHistory) */
        "CREATE TABLE image_names_history ("
        "  image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,"
        "  name TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (image_id, name));"
        "INSERT INTO image_names_history (image_id, name, seq) SELECT image_id, name, rowid FROM image_names;",
        NULL,
};

static void store_free(void *p)
{
        struct store *s = p;

        if (!s)
                return;
        db_close(s->db);
        free(s->graphroot);
        free(s->runroot);
        free(s->driver_dir);
        free(s);
}

static int make_dirs(struct store *s, cpod_error_t *err)
{
        const char *sub[] = { "images", "tmp" };
        if (mkdir_p(s->graphroot, 0700, err) < 0 || mkdir_p(s->driver_dir, 0700, err) < 0 ||
            mkdir_p(s->runroot, 0700, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (s->drv->init(s, err) < 0)
                return cpod_error_rc(err, -EIO);
        for (size_t i = 0; i < 2; i++) {
                _cleanup_free_ char *p = path_join(s->graphroot, sub[i]);
                if (mkdir_p(p, 0700, err) < 0)
                        return cpod_error_rc(err, -EIO);
        }
        return 0;
}

int store_open(const struct store_opts *o, struct store **ret, cpod_error_t *err)
{
        struct store *s = xzalloc(sizeof(*s));
        _cleanup_free_ char *dbpath = NULL;

        s->graphroot = xstrdup(o->graphroot);
        s->runroot = xstrdup(o->runroot);
        if (!(s->drv = store_driver_find(o->driver))) {
                store_free(s);
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "unknown storage driver \"%s\"", o->driver);
        }
        s->driver_dir = path_join(s->graphroot, s->drv->name);
        dbpath = path_join(s->graphroot, "storage.db");
        if (s->drv->probe(err) < 0 || make_dirs(s, err) < 0 || db_open(dbpath, schema, &s->db, err) < 0) {
                store_free(s);
                return cpod_error_wrap(err, "open storage '%s'", o->graphroot);
        }
        *ret = s;
        return 0;
}

bool store_layers_are_diffs(const struct store *s)
{
        return s->drv->layers_are_diffs;
}

const char *store_driver_name(const struct store *s)
{
        return s->drv->name;
}

void store_checkpoint_idle(struct store *s)
{
        db_checkpoint_idle(s->db);
}

struct store *store_close(struct store *s)
{
        store_free(s);
        return NULL;
}

int store_worker_open(struct store *s, struct store **ret, cpod_error_t *err)
{
        struct store *w = xzalloc(sizeof(*w));
        _cleanup_free_ char *dbpath = path_join(s->graphroot, "storage.db");

        w->graphroot = xstrdup(s->graphroot);
        w->runroot = xstrdup(s->runroot);
        w->drv = s->drv;
        w->driver_dir = xstrdup(s->driver_dir);
        if (db_open(dbpath, schema, &w->db, err) < 0) {
                store_free(w);
                return cpod_error_rc(err, -EIO);
        }
        *ret = w;
        return 0;
}

struct store *store_worker_free(struct store *w)
{
        store_free(w);
        return NULL;
}

int store_lock(struct store *s, cpod_error_t *err)
{
        _cleanup_free_ char *path = path_join(s->graphroot, "storage.lock");
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

        if (fd < 0)
                return cpod_error_sys(err, errno, "open '%s'", path);
        while (flock(fd, LOCK_EX) < 0) {
                if (errno != EINTR) {
                        int r = cpod_error_sys(err, errno, "lock '%s'", path);
                        close(fd);
                        return r;
                }
        }
        if (store_repair(s, err) < 0) {
                close(fd);
                return cpod_error_rc(err, -EIO);
        }
        return fd;
}

void store_unlock(int fd)
{
        if (fd >= 0)
                close(fd); /* releases the flock */
}

/* Remove workspaces in <graphroot>/tmp whose owner died (their .lock is free). */
static void repair_tmp(struct store *s)
{
        _cleanup_free_ char *tmp = path_join(s->graphroot, "tmp");
        DIR *d = opendir(tmp);
        struct dirent *de;

        while (d && (de = readdir(d))) {
                size_t n = strlen(de->d_name);
                _cleanup_free_ char *lock = NULL, *work = NULL;
                _cleanup_close_ int fd = -1;

                if (n < 6 || strcmp(de->d_name + n - 5, ".lock") != 0)
                        continue;
                lock = path_join(tmp, de->d_name);
                fd = open(lock, O_RDWR | O_CLOEXEC);
                if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0)
                        continue; /* its owner is alive */
                work = xstrndup(lock, strlen(lock) - 5);
                log_debug("removing abandoned workspace %s", work);
                (void)umount2(work, MNT_DETACH);
                (void)rm_rf(work, NULL);
                (void)unlink(lock);
        }
        if (d)
                closedir(d);
}

static bool row_exists(sqlite3 *db, const char *sql, const char *id)
{
        _cleanup_stmt_ sqlite3_stmt *st = db_prepare(db, sql, NULL);

        if (!st)
                return true; /* when in doubt, keep */
        db_bind_text(st, 1, id);
        return sqlite3_step(st) == SQLITE_ROW;
}

/* Delete entries of dir named like IDs that have no row in the DB. */
static void repair_orphans(struct store *s, const char *dir, const char *sql)
{
        DIR *d = opendir(dir);
        struct dirent *de;

        while (d && (de = readdir(d))) {
                _cleanup_free_ char *p = NULL, *merged = NULL;

                if (!is_hex_id(de->d_name) || row_exists(s->db, sql, de->d_name))
                        continue;
                p = path_join(dir, de->d_name);
                merged = path_join(p, "merged");
                log_debug("removing orphaned %s", p);
                (void)umount2(merged, MNT_DETACH);
                (void)rm_rf(p, NULL);
        }
        if (d)
                closedir(d);
}

int store_repair(struct store *s, cpod_error_t *err)
{
        _cleanup_free_ char *dirty = path_join(s->graphroot, "dirty");
        _cleanup_free_ char *images = path_join(s->graphroot, "images");

        repair_tmp(s);
        if (!path_exists(dirty))
                return 0;
        log_debug("storage was interrupted during a change: repairing");
        repair_orphans(s, s->driver_dir, "SELECT 1 FROM layers WHERE id = ?");
        repair_orphans(s, images, "SELECT 1 FROM images WHERE id = ?");
        s->drv->repair(s);
        if (unlink(dirty) < 0 && errno != ENOENT)
                return cpod_error_sys(err, errno, "remove '%s'", dirty);
        return 0;
}

/* Mark the store as being changed (caller holds the storage lock). */
int store_mark_dirty(struct store *s, cpod_error_t *err)
{
        _cleanup_free_ char *dirty = path_join(s->graphroot, "dirty");

        return write_file(dirty, "", 0, 0600, err);
}

void store_mark_clean(struct store *s)
{
        _cleanup_free_ char *dirty = path_join(s->graphroot, "dirty");

        (void)unlink(dirty);
}
