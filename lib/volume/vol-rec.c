/* SPDX-License-Identifier: Apache-2.0 */
/* Volume records in the engine DB: tables volumes and ctr_volumes. */
#include "volume/volume.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/engine-db.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/db.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

#define VOL_COLS "name, driver, created, labels, options, anonymous, uid, gid, needs_copy_up, needs_chown"

void vol_clear(struct vol *v)
{
        free(v->name);
        free(v->driver);
        free(v->mountpoint);
        json_decref(v->labels);
        json_decref(v->options);
        memset(v, 0, sizeof(*v));
}

void vols_free(struct vol *v, size_t n)
{
        for (size_t i = 0; i < n; i++)
                vol_clear(&v[i]);
        free(v);
}

char *vol_dir(struct cpod_runtime *rt, const char *name)
{
        const char *base = rt->config->volume_path;
        _cleanup_free_ char *def = path_join(rt->root, "volumes");

        return path_join(base && *base ? base : def, name);
}

static json_t *obj_or_empty(const char *text)
{
        json_t *o = text ? json_loads(text, 0, NULL) : NULL;

        if (!json_is_object(o)) {
                json_decref(o);
                o = json_object();
        }
        return o;
}

static void row_to_vol(struct cpod_runtime *rt, sqlite3_stmt *st, struct vol *v)
{
        _cleanup_free_ char *dir = NULL;

        v->name = xstrdup(db_col_text(st, 0));
        v->driver = xstrdup(db_col_text(st, 1));
        v->created = sqlite3_column_int64(st, 2);
        v->labels = obj_or_empty(db_col_text(st, 3));
        v->options = obj_or_empty(db_col_text(st, 4));
        v->anonymous = sqlite3_column_int(st, 5) != 0;
        v->uid = sqlite3_column_int64(st, 6);
        v->gid = sqlite3_column_int64(st, 7);
        v->needs_copy_up = sqlite3_column_int(st, 8) != 0;
        v->needs_chown = sqlite3_column_int(st, 9) != 0;
        dir = vol_dir(rt, v->name);
        v->mountpoint = path_join(dir, "_data");
}

int vol_insert(struct cpod_runtime *rt, const struct vol *v, cpod_error_t *err)
{
        sqlite3 *db = engine_db(rt, err);
        _cleanup_stmt_ sqlite3_stmt *st = NULL;
        _cleanup_free_ char *labels = NULL, *options = NULL;

        if (!db || !(st = db_prepare(db, "INSERT INTO volumes (" VOL_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?)", err)))
                return cpod_error_rc(err, -EIO);
        labels = json_dumps(v->labels, JSON_COMPACT);
        options = json_dumps(v->options, JSON_COMPACT);
        db_bind_text(st, 1, v->name);
        db_bind_text(st, 2, v->driver);
        db_bind_int64(st, 3, v->created);
        db_bind_text(st, 4, labels);
        db_bind_text(st, 5, options);
        db_bind_int64(st, 6, v->anonymous);
        db_bind_int64(st, 7, v->uid);
        db_bind_int64(st, 8, v->gid);
        db_bind_int64(st, 9, v->needs_copy_up);
        db_bind_int64(st, 10, v->needs_chown);
        switch (sqlite3_step(st)) {
        case SQLITE_DONE:
                return 0;
        case SQLITE_CONSTRAINT:
                return cpod_error_set(err, EEXIST, CPOD_E_EXISTS,
                                      "volume with name %s already exists: volume already exists", v->name);
        default:
                return db_error(db, "database write", err);
        }
}

/* state: 0 ready, 1 being removed, -1 either. */
static int load(struct cpod_runtime *rt, const char *name, int state, struct vol *ret, cpod_error_t *err)
{
        sqlite3 *db = engine_db(rt, err);
        _cleanup_stmt_ sqlite3_stmt *st = NULL;

        memset(ret, 0, sizeof(*ret));
        if (!db ||
            !(st = db_prepare(db, "SELECT " VOL_COLS " FROM volumes WHERE name = ?1 AND (?2 < 0 OR state = ?2)", err)))
                return cpod_error_rc(err, -EIO);
        db_bind_text(st, 1, name);
        db_bind_int64(st, 2, state);
        if (sqlite3_step(st) != SQLITE_ROW)
                return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_VOLUME,
                                      "no volume with name \"%s\" found: no such volume", name);
        row_to_vol(rt, st, ret);
        return 0;
}

int vol_get(struct cpod_runtime *rt, const char *name, struct vol *ret, cpod_error_t *err)
{
        return load(rt, name, 0, ret, err);
}

int vol_get_any(struct cpod_runtime *rt, const char *name, struct vol *ret)
{
        return load(rt, name, -1, ret, NULL);
}

bool vol_exists(struct cpod_runtime *rt, const char *name)
{
        struct vol v;
        int r = load(rt, name, 0, &v, NULL);

        if (r == 0)
                vol_clear(&v);
        return r == 0;
}

int vol_list(struct cpod_runtime *rt, struct vol **ret, size_t *ret_n, cpod_error_t *err)
{
        sqlite3 *db = engine_db(rt, err);
        _cleanup_stmt_ sqlite3_stmt *st = NULL;
        size_t n = 0, cap = 0;
        struct vol *v = NULL;

        *ret = NULL;
        *ret_n = 0;
        if (!db || !(st = db_prepare(db, "SELECT " VOL_COLS " FROM volumes WHERE state = 0 ORDER BY name", err)))
                return cpod_error_rc(err, -EIO);
        while (sqlite3_step(st) == SQLITE_ROW) {
                if (n == cap)
                        v = xreallocarray(v, cap = cap ? cap * 2 : 8, sizeof(*v));
                memset(&v[n], 0, sizeof(*v));
                row_to_vol(rt, st, &v[n++]);
        }
        *ret = v;
        *ret_n = n;
        return 0;
}

static int exec_named(struct cpod_runtime *rt, const char *sql, const char *name, int64_t a, int64_t b,
                      cpod_error_t *err)
{
        sqlite3 *db = engine_db(rt, err);
        _cleanup_stmt_ sqlite3_stmt *st = NULL;

        if (!db || !(st = db_prepare(db, sql, err)))
                return cpod_error_rc(err, -EIO);
        db_bind_text(st, 1, name);
        db_bind_int64(st, 2, a);
        db_bind_int64(st, 3, b);
        return db_step_done(st, err);
}

int vol_set_flags(struct cpod_runtime *rt, const char *name, bool needs_copy_up, bool needs_chown, cpod_error_t *err)
{
        return exec_named(rt, "UPDATE volumes SET needs_copy_up = ?2, needs_chown = ?3 WHERE name = ?1", name,
                          needs_copy_up, needs_chown, err);
}

int vol_mark_removing(struct cpod_runtime *rt, const char *name, cpod_error_t *err)
{
        return exec_named(rt, "UPDATE volumes SET state = 1 WHERE name = ?1", name, 0, 0, err);
}

int vol_delete_rec(struct cpod_runtime *rt, const char *name, cpod_error_t *err)
{
        return exec_named(rt, "DELETE FROM volumes WHERE name = ?1", name, 0, 0, err);
}

static int names_of(struct cpod_runtime *rt, const char *sql, const char *arg, char ***ret, cpod_error_t *err)
{
        sqlite3 *db = engine_db(rt, err);
        _cleanup_stmt_ sqlite3_stmt *st = NULL;
        char **v = xcalloc(1, sizeof(char *));

        *ret = NULL;
        if (!db || !(st = db_prepare(db, sql, err))) {
                strv_free(v);
                return cpod_error_rc(err, -EIO);
        }
        if (arg)
                db_bind_text(st, 1, arg);
        while (sqlite3_step(st) == SQLITE_ROW)
                strv_add(&v, db_col_text(st, 0));
        *ret = v;
        return 0;
}

int vol_removing(struct cpod_runtime *rt, char ***ret, cpod_error_t *err)
{
        return names_of(rt, "SELECT name FROM volumes WHERE state = 1", NULL, ret, err);
}

int vol_users(struct cpod_runtime *rt, const char *name, char ***ret, cpod_error_t *err)
{
        return names_of(rt, "SELECT DISTINCT ctr_id FROM ctr_volumes WHERE volume = ?1 ORDER BY ctr_id", name, ret,
                        err);
}
