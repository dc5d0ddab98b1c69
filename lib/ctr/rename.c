/* SPDX-License-Identifier: Apache-2.0 */
/* cpod rename and cpod port. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/container.h>

#include "ctr/ctr.h"
#include "runtime/engine-db.h"
#include "runtime/lock.h"
#include "util/cleanup.h"
#include "util/db.h"
#include "util/json.h"
#include "util/xalloc.h"

static bool valid_name(const char *n)
{
        if (!isalnum((unsigned char)n[0]))
                return false;
        for (const char *p = n; *p; p++)
                if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.' && *p != '-')
                        return false;
        return true;
}

/* One UPDATE: the name column (UNIQUE: the DB arbitrates between concurrent renames) and the config's copy. */
static int rename_locked(struct cpod_runtime *rt, struct ctr *c, const char *newname, cpod_error_t *err)
{
        sqlite3 *db = engine_db(rt, err);
        _cleanup_stmt_ sqlite3_stmt *st = NULL;
        _cleanup_free_ char *config = NULL;
        _cleanup_json_ json_t *conf = NULL;
        int rc;

        if (!db)
                return cpod_error_rc(err, -EIO);
        if (strcmp(c->name, newname) == 0)
                return 0;
        free(c->cfg.name);
        c->cfg.name = xstrdup(newname);
        conf = ctr_config_to_json(&c->cfg);
        config = json_dump_compact(conf);
        st = db_prepare(db, "UPDATE containers SET name = ?, config = ? WHERE id = ?", err);
        if (!st)
                return cpod_error_rc(err, -EIO);
        db_bind_text(st, 1, newname);
        db_bind_text(st, 2, config);
        db_bind_text(st, 3, c->id);
        rc = sqlite3_step(st);
        if (rc == SQLITE_CONSTRAINT)
                return cpod_error_set(err, EEXIST, CPOD_E_EXISTS,
                                      "renaming container %s: name %s already in use: container already exists", c->id,
                                      newname);
        if (rc != SQLITE_DONE)
                return db_error(db, "rename container", err);
        free(c->name);
        c->name = xstrdup(newname);
        ctr_event(rt, c, "rename");
        return 0;
}

int cpod_ctr_rename(struct cpod_runtime *rt, const char *name, const char *newname, cpod_error_t *err)
{
        struct ctr c = { 0 };
        char id[65];
        int fd, r;

        if (!newname || !valid_name(newname))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument");
        if (cpod_ctr_lookup(rt, name, id, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        fd = ctr_lock_load(rt, id, &c, err);
        if (fd < 0)
                return fd;
        r = rename_locked(rt, &c, newname, err);
        ctr_clear(&c);
        obj_unlock(fd);
        return r;
}

int cpod_ctr_port(struct cpod_runtime *rt, const char *name, json_t **ret, cpod_error_t *err)
{
        struct ctr c = { 0 };
        char id[65];
        int r;

        *ret = NULL;
        /* A pod member publishes nothing itself: its pod's infra holds the ports. */
        if ((r = cpod_ctr_lookup(rt, name, id, err)) < 0 || (r = ctr_db_get(rt, id, &c, err)) < 0)
                return r;
        if (!json_array_size(c.cfg.port_mappings) && c.cfg.pod_infra && strcmp(c.cfg.pod_infra, c.id) != 0) {
                struct ctr infra = { 0 };
                if (ctr_db_get(rt, c.cfg.pod_infra, &infra, NULL) == 0 && infra.cfg.port_mappings)
                        *ret = json_deep_copy(infra.cfg.port_mappings);
                ctr_clear(&infra);
        }
        if (!*ret)
                *ret = c.cfg.port_mappings ? json_deep_copy(c.cfg.port_mappings) : json_array();
        ctr_clear(&c);
        return 0;
}
