/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --userns auto: ranges of /etc/subuid and /etc/subgid for the user "containers", first fit
 * around the ranges already recorded in the engine DB (userns_ranges: owner = the container's
 * layer ID, kind 'uid' or 'gid', host start and size).  The search and the insert are one
 * transaction (BEGIN IMMEDIATE), so concurrent creates never get overlapping ranges; a
 * container's rows go with its record (a trigger), a failed create drops them
 * (userns_release), and an interrupted one's are dropped with its layer (create-intent.c).
 */
#include "ctr/userns.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctr/ctr-config.h"
#include "runtime/engine-db.h"
#include "util/cleanup.h"
#include "util/db.h"
#include "util/fileutil.h"
#include "util/strv.h"
#include "util/xalloc.h"

#define AUTO_USER "containers"
#define AUTO_DEFAULT_SIZE 1024

int userns_subids(const char *file, const char *user, struct idmap *ret, cpod_error_t *err)
{
        _cleanup_free_ char *buf = NULL, *uid = NULL;
        struct passwd pw, *res = NULL;
        char pwbuf[1024], *save = NULL;
        size_t len = 0;
        uint32_t next = 0;

        if (getpwnam_r(user, &pw, pwbuf, sizeof(pwbuf), &res) == 0 && res)
                uid = xasprintf("%u", (unsigned)pw.pw_uid);
        if (read_file(file, &buf, &len, 16 << 20, NULL) < 0)
                buf = xstrdup("");
        for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
                char *a = strchr(l, ':'), *b = a ? strchr(a + 1, ':') : NULL;
                _cleanup_free_ char *spec = NULL;
                struct idmap one = { 0 };
                if (!b || *l == '#')
                        continue;
                *a = '\0';
                if (strcmp(l, user) != 0 && !(uid && strcmp(l, uid) == 0))
                        continue;
                spec = xasprintf("%u:%s", next, a + 1);
                if (idmap_add_text(&one, spec) == 0) {
                        idmap_add(ret, next, one.v[0].host, one.v[0].size);
                        next += one.v[0].size;
                }
                idmap_clear(&one);
        }
        if (!ret->n)
                return cpod_error_set(err, ENOENT, CPOD_E_INVALID, "no %s ranges found for user \"%s\" in %s",
                                      strstr(file, "gid") ? "subgid" : "subuid", user, file);
        return 0;
}

/* The ranges recorded for kind, as (start, size) pairs in m (ctr unused). */
static int recorded(sqlite3 *db, const char *kind, struct idmap *m, cpod_error_t *err)
{
        _cleanup_stmt_ sqlite3_stmt *st = db_prepare(db, "SELECT start, size FROM userns_ranges WHERE kind = ?", err);
        int rc;

        if (!st)
                return cpod_error_rc(err, -EIO);
        db_bind_text(st, 1, kind);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
                idmap_add(m, 0, (uint32_t)sqlite3_column_int64(st, 0), (uint32_t)sqlite3_column_int64(st, 1));
        return rc == SQLITE_DONE ? 0 : db_error(db, "read the user namespace ranges", err);
}

static bool is_free(const struct idmap *used, uint64_t start, uint64_t size, uint64_t *ret_next)
{
        for (size_t i = 0; i < used->n; i++)
                if (start < (uint64_t)used->v[i].host + used->v[i].size && used->v[i].host < start + size) {
                        *ret_next = (uint64_t)used->v[i].host + used->v[i].size;
                        return false;
                }
        return true;
}

/* First fit of size host IDs in the subordinate ranges avail, around used. */
static bool first_fit(const struct idmap *avail, const struct idmap *used, uint32_t size, uint32_t *ret)
{
        for (size_t i = 0; i < avail->n; i++) {
                uint64_t start = avail->v[i].host, end = start + avail->v[i].size, next;
                while (start + size <= end) {
                        if (is_free(used, start, size, &next)) {
                                *ret = (uint32_t)start;
                                return true;
                        }
                        start = next;
                }
        }
        return false;
}

/* Container IDs 0..size-1 not covered by forced: mapped, in order, from host IDs at host. */
static void fill_gaps(struct idmap *m, const struct idmap *forced, uint32_t size, uint32_t host)
{
        uint32_t id = 0;

        while (id < size) {
                uint32_t end = id, h;
                if (idmap_to_host(forced, id, &h)) {
                        id++;
                        continue;
                }
                while (end < size && !idmap_to_host(forced, end, &h))
                        end++;
                idmap_add(m, id, host, end - id);
                host += end - id;
                id = end;
        }
}

static uint32_t uncovered(const struct idmap *forced, uint32_t size)
{
        uint32_t n = 0, h;

        for (uint32_t id = 0; id < size; id++)
                n += !idmap_to_host(forced, id, &h);
        return n;
}

struct auto_opts {
        uint32_t size;
        struct idmap uids, gids; /* uidmapping=, gidmapping= */
};

static void parse_opts(const char *mode, struct auto_opts *o)
{
        _cleanup_strv_ char **v = strv_split(mode[4] ? mode + 5 : "", ",");

        memset(o, 0, sizeof(*o));
        o->size = AUTO_DEFAULT_SIZE;
        for (char **p = v; p && *p; p++) {
                if (strncmp(*p, "size=", 5) == 0)
                        o->size = (uint32_t)strtoul(*p + 5, NULL, 10);
                else if (strncmp(*p, "uidmapping=", 11) == 0)
                        (void)idmap_add_text(&o->uids, *p + 11);
                else if (strncmp(*p, "gidmapping=", 11) == 0)
                        (void)idmap_add_text(&o->gids, *p + 11);
        }
}

/* Allocate and record one kind's range; the mapping is forced + the range over the gaps. */
static int allocate_kind(sqlite3 *db, const char *owner, const char *kind, const char *file, uint32_t size,
                         const struct idmap *forced, struct idmap *ret, cpod_error_t *err)
{
        _cleanup_stmt_ sqlite3_stmt *st = NULL;
        struct idmap avail = { 0 }, used = { 0 };
        uint32_t need = uncovered(forced, size), start = 0;
        int r;

        idmap_copy(ret, forced);
        if (need == 0)
                return 0;
        /* as podman: no range for "containers" is not enough IDs */
        if (userns_subids(file, AUTO_USER, &avail, NULL) < 0)
                idmap_clear(&avail);
        if ((r = recorded(db, kind, &used, err)) < 0)
                goto out;
        if (!first_fit(&avail, &used, need, &start)) {
                r = cpod_error_set(err, ENOSPC, CPOD_E_INVALID,
                                   "creating container storage: could not find enough available IDs");
                goto out;
        }
        if (!(st = db_prepare(db, "INSERT INTO userns_ranges (owner, kind, start, size) VALUES (?, ?, ?, ?)", err))) {
                r = cpod_error_rc(err, -EIO);
                goto out;
        }
        db_bind_text(st, 1, owner);
        db_bind_text(st, 2, kind);
        db_bind_int64(st, 3, start);
        db_bind_int64(st, 4, need);
        if ((r = db_step_done(st, err)) == 0)
                fill_gaps(ret, forced, size, start);
out:
        idmap_clear(&avail);
        idmap_clear(&used);
        return r;
}

int userns_allocate(struct cpod_runtime *rt, struct ctr_config *cfg, const char *layer_id, cpod_error_t *err)
{
        const char *m = cfg->userns_mode;
        sqlite3 *db;
        struct auto_opts o;
        struct idmap u = { 0 }, g = { 0 };
        int r;

        if (!m || (strcmp(m, "auto") != 0 && strncmp(m, "auto:", 5) != 0))
                return 0;
        if (!(db = engine_db(rt, err)))
                return cpod_error_rc(err, -EIO);
        parse_opts(m, &o);
        if ((r = db_begin(db, err)) < 0)
                goto out;
        r = allocate_kind(db, layer_id, "uid", "/etc/subuid", o.size, &o.uids, &u, err);
        if (r == 0)
                r = allocate_kind(db, layer_id, "gid", "/etc/subgid", o.size, &o.gids, &g, err);
        if (r == 0)
                r = db_commit(db, err);
        else
                db_rollback(db);
        if (r == 0) {
                strv_free(cfg->idmap_uid);
                strv_free(cfg->idmap_gid);
                cfg->idmap_uid = idmap_to_strv(&u);
                cfg->idmap_gid = idmap_to_strv(&g);
        }
out:
        idmap_clear(&o.uids);
        idmap_clear(&o.gids);
        idmap_clear(&u);
        idmap_clear(&g);
        return r;
}

void userns_release(struct cpod_runtime *rt, const char *layer_id)
{
        sqlite3 *db = engine_db(rt, NULL);
        _cleanup_stmt_ sqlite3_stmt *st = db ? db_prepare(db, "DELETE FROM userns_ranges WHERE owner = ?", NULL) : NULL;

        if (!st)
                return;
        db_bind_text(st, 1, layer_id);
        (void)db_step_done(st, NULL);
}
