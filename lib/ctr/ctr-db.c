/* SPDX-License-Identifier: Apache-2.0 */
/* Container records in the engine DB. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctr/ctr.h"
#include "runtime/engine-db.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/db.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/log.h"
#include "util/strv.h"
#include "util/xalloc.h"

#define CTR_COLS                                                                                                       \
        "id, name, pod_id, image_id, image_name, layer_id, created, command, labels, config, state, pid, "             \
        "conmon_pid, conmon_start, exit_code, started_at, finished_at, oom_killed, restart_count, stopped_by_user, "   \
        "boot_id, mountpoint"

void ctr_clear(struct ctr *c)
{
        free(c->name);
        free(c->pod_id);
        free(c->image_id);
        free(c->image_name);
        free(c->layer_id);
        free(c->command);
        json_decref(c->labels);
        ctr_config_clear(&c->cfg);
        free(c->boot_id);
        free(c->mountpoint);
        memset(c, 0, sizeof(*c));
}

void ctrs_free(struct ctr *v, size_t n)
{
        for (size_t i = 0; i < n; i++)
                ctr_clear(&v[i]);
        free(v);
}

static json_t *parse_col(sqlite3_stmt *st, int col)
{
        const char *s = db_col_text(st, col);
        json_t *j = s ? json_loads(s, 0, NULL) : NULL;

        return j ? j : json_object();
}

/* The record's config: written by ctr_config_to_json, so only a damaged DB fails to parse. */
static void parse_config(sqlite3_stmt *st, int col, struct ctr *c)
{
        _cleanup_json_ json_t *j = parse_col(st, col);
        cpod_error_t err = CPOD_ERROR_INIT;

        if (ctr_config_parse(j, true, &c->cfg, &err) < 0) {
                log_debug("container %s: unreadable config, ignoring it: %s", c->id, cpod_error_msg(&err));
                ctr_config_clear(&c->cfg);
                (void)ctr_config_parse(NULL, true, &c->cfg, NULL);
        }
        cpod_error_clear(&err);
}

static void fill_columns(sqlite3_stmt *st, struct ctr *c)
{
        memset(c, 0, sizeof(*c));
        snprintf(c->id, sizeof(c->id), "%s", db_col_text(st, 0));
        c->name = xstrdup(db_col_text(st, 1));
        c->pod_id = xstrdup(db_col_text(st, 2));
        c->image_id = xstrdup(db_col_text(st, 3));
        c->image_name = xstrdup(db_col_text(st, 4));
        c->layer_id = xstrdup(db_col_text(st, 5));
        c->created = sqlite3_column_int64(st, 6);
        c->command = xstrdup(db_col_text(st, 7));
        c->labels = parse_col(st, 8);

        c->state = (enum cpod_ctr_state)sqlite3_column_int(st, 10);
        c->pid = sqlite3_column_int(st, 11);
        c->conmon_pid = sqlite3_column_int(st, 12);
        c->conmon_start = sqlite3_column_int64(st, 13);
        c->exit_code = sqlite3_column_int(st, 14);
        c->started_at = sqlite3_column_int64(st, 15);
        c->finished_at = sqlite3_column_int64(st, 16);
        c->oom_killed = sqlite3_column_int(st, 17) != 0;
        c->restart_count = sqlite3_column_int(st, 18);
        c->stopped_by_user = sqlite3_column_int(st, 19) != 0;
        c->boot_id = xstrdup(db_col_text(st, 20));
        c->mountpoint = xstrdup(db_col_text(st, 21));
}

static void fill(sqlite3_stmt *st, struct ctr *c)
{
        fill_columns(st, c);
        parse_config(st, 9, c);
}

int ctr_db_get(struct cpod_runtime *rt, const char *id, struct ctr *ret, cpod_error_t *err)
{
        sqlite3 *db = engine_db(rt, err);
        _cleanup_stmt_ sqlite3_stmt *st =
                db ? db_prepare(db, "SELECT " CTR_COLS " FROM containers WHERE id = ?", err) : NULL;
        int rc;

        if (!st)
                return cpod_error_rc(err, -EIO);
        db_bind_text(st, 1, id);
        rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
                return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_CTR,
                                      "no container with name or ID \"%s\" found: "
                                      "no such container",
                                      id);
        if (rc != SQLITE_ROW)
                return db_error(db, "read container", err);
        fill(st, ret);
        return 0;
}

static void bind_state(sqlite3_stmt *st, const struct ctr *c, int first)
{
        db_bind_int64(st, first, c->state);
        db_bind_int64(st, first + 1, c->pid);
        db_bind_int64(st, first + 2, c->conmon_pid);
        db_bind_int64(st, first + 3, c->conmon_start);
        db_bind_int64(st, first + 4, c->exit_code);
        db_bind_int64(st, first + 5, c->started_at);
        db_bind_int64(st, first + 6, c->finished_at);
        db_bind_int64(st, first + 7, c->oom_killed);
        db_bind_int64(st, first + 8, c->restart_count);
        db_bind_int64(st, first + 9, c->stopped_by_user);
        db_bind_text(st, first + 10, c->boot_id);
        db_bind_text(st, first + 11, c->mountpoint);
}

int ctr_db_insert(struct cpod_runtime *rt, const struct ctr *c, cpod_error_t *err)
{
        sqlite3 *db = engine_db(rt, err);
        _cleanup_stmt_ sqlite3_stmt *st = NULL;
        _cleanup_free_ char *labels = NULL, *config = NULL, *cmd = NULL;
        _cleanup_json_ json_t *conf = NULL, *cmdj = NULL;
        int rc;

        if (!db)
                return cpod_error_rc(err, -EIO);
        st = db_prepare(db,
                        "INSERT INTO containers (" CTR_COLS ", cmd_json, list_flags) VALUES "
                        "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        err);
        if (!st)
                return cpod_error_rc(err, -EIO);
        labels = json_dump_compact(c->labels ? c->labels : json_object());
        conf = ctr_config_to_json(&c->cfg);
        config = json_dump_compact(conf);
        db_bind_text(st, 1, c->id);
        db_bind_text(st, 2, c->name);
        db_bind_text(st, 3, c->pod_id);
        db_bind_text(st, 4, c->image_id);
        db_bind_text(st, 5, c->image_name);
        db_bind_text(st, 6, c->layer_id);
        db_bind_int64(st, 7, c->created);
        db_bind_text(st, 8, c->command);
        db_bind_text(st, 9, labels);
        db_bind_text(st, 10, config);
        bind_state(st, c, 11);
        cmdj = json_strv(c->cfg.effective_command, -1);
        cmd = json_dump_compact(cmdj);
        db_bind_text(st, 23, cmd);
        db_bind_int64(st, 24, (c->cfg.rm ? 1 : 0) | (c->cfg.is_infra ? 2 : 0));
        rc = sqlite3_step(st);
        if (rc == SQLITE_CONSTRAINT)
                return cpod_error_set(err, EEXIST, CPOD_E_EXISTS,
                                      "the container name \"%s\" is already in use by another container. You have "
                                      "to remove that container to be able to reuse that name: that name is "
                                      "already in use",
                                      c->name);
        if (rc != SQLITE_DONE)
                return db_error(db, "insert container", err);
        return 0;
}

int ctr_db_save_config(struct cpod_runtime *rt, const struct ctr *c, cpod_error_t *err)
{
        sqlite3 *db = engine_db(rt, err);
        _cleanup_stmt_ sqlite3_stmt *st = NULL;
        _cleanup_json_ json_t *conf = ctr_config_to_json(&c->cfg);
        _cleanup_free_ char *config = json_dump_compact(conf);

        if (!db || !(st = db_prepare(db, "UPDATE containers SET config=? WHERE id=?", err)))
                return cpod_error_rc(err, -EIO);
        db_bind_text(st, 1, config);
        db_bind_text(st, 2, c->id);
        return db_step_done(st, err);
}

int ctr_db_save_state(struct cpod_runtime *rt, const struct ctr *c, cpod_error_t *err)
{
        sqlite3 *db = engine_db(rt, err);
        _cleanup_stmt_ sqlite3_stmt *st = NULL;

        if (!db)
                return cpod_error_rc(err, -EIO);
        st = db_prepare(db,
                        "UPDATE containers SET state=?, pid=?, conmon_pid=?, conmon_start=?, exit_code=?, "
                        "started_at=?, finished_at=?, oom_killed=?, restart_count=?, stopped_by_user=?, boot_id=?, "
                        "mountpoint=? WHERE id=?",
                        err);
        if (!st)
                return cpod_error_rc(err, -EIO);
        bind_state(st, c, 1);
        db_bind_text(st, 13, c->id);
        return db_step_done(st, err);
}

int ctr_db_delete(struct cpod_runtime *rt, const char *id, cpod_error_t *err)
{
        sqlite3 *db = engine_db(rt, err);
        _cleanup_stmt_ sqlite3_stmt *st = db ? db_prepare(db, "DELETE FROM containers WHERE id = ?", err) : NULL;

        if (!st)
                return cpod_error_rc(err, -EIO);
        db_bind_text(st, 1, id);
        return db_step_done(st, err);
}

/*
 * Listings (ps, pod ps, counts) don't parse each container's full config: the
 * few config members they show come from columns kept at insert time.
 */
static void fill_light(sqlite3_stmt *st, struct ctr *c)
{
        const char *cmd = db_col_text(st, 22);
        int flags = sqlite3_column_int(st, 23);
        _cleanup_json_ json_t *cmdj = cmd ? json_loads(cmd, 0, NULL) : NULL;

        fill_columns(st, c); /* not the config: listings use only what the columns below keep */
        c->cfg.read_only_tmpfs = -1;
        c->cfg.no_hosts = -1;
        c->cfg.effective_command = json_is_array(cmdj) ? json_to_strv(cmdj) : xnew0(char *, 1);
        c->cfg.rm = flags & 1;
        c->cfg.is_infra = flags & 2;
        /* ps shows ports and networks: two small members, read by SQLite from the config text */
        if (db_col_text(st, 24))
                c->cfg.port_mappings = json_loads(db_col_text(st, 24), 0, NULL);
        if (db_col_text(st, 25))
                c->cfg.networks = json_loads(db_col_text(st, 25), 0, NULL);
        /* and the places of the user's mounts (ps --filter volume, the Mounts of ps's JSON) */
        if (db_col_text(st, 26)) {
                _cleanup_json_ json_t *v = json_loads(db_col_text(st, 26), 0, NULL);
                c->cfg.volumes = json_to_strv(v);
        }
        if (db_col_text(st, 27))
                c->cfg.named_volumes = json_loads(db_col_text(st, 27), 0, NULL);
}

#define CTR_COLS_LIGHT                                                                                                 \
        "id, name, pod_id, image_id, image_name, layer_id, created, command, labels, NULL, state, pid, "               \
        "conmon_pid, conmon_start, exit_code, started_at, finished_at, oom_killed, restart_count, stopped_by_user, "   \
        "boot_id, mountpoint, cmd_json, list_flags, json_extract(config, '$.PortMappings'), "                          \
        "json_extract(config, '$.Networks'), json_extract(config, '$.Volumes'), "                                      \
        "json_extract(config, '$.NamedVolumes')"

int ctr_db_list(struct cpod_runtime *rt, struct ctr **ret, size_t *ret_n, cpod_error_t *err)
{
        sqlite3 *db = engine_db(rt, err);
        _cleanup_stmt_ sqlite3_stmt *st =
                db ? db_prepare(db, "SELECT " CTR_COLS_LIGHT " FROM containers ORDER BY created DESC", err) : NULL;
        struct ctr *v = NULL;
        size_t n = 0, cap = 0;

        if (!st)
                return cpod_error_rc(err, -EIO);
        while (sqlite3_step(st) == SQLITE_ROW) {
                if (n == cap) {
                        cap = cap ? cap * 2 : 16;
                        v = xreallocarray(v, cap, sizeof(*v));
                }
                fill_light(st, &v[n++]);
        }
        *ret = v;
        *ret_n = n;
        return 0;
}

bool ctr_is_infra(const struct ctr *c)
{
        return c->cfg.is_infra;
}

bool ctr_db_name_taken(struct cpod_runtime *rt, const char *name)
{
        sqlite3 *db = engine_db(rt, NULL);
        _cleanup_stmt_ sqlite3_stmt *st = db ? db_prepare(db, "SELECT 1 FROM containers WHERE name = ?", NULL) : NULL;

        if (!st)
                return false;
        db_bind_text(st, 1, name);
        return sqlite3_step(st) == SQLITE_ROW;
}

int ctr_db_ids_in_pod(struct cpod_runtime *rt, const char *pod_id, char ***ret, cpod_error_t *err)
{
        sqlite3 *db = engine_db(rt, err);
        _cleanup_stmt_ sqlite3_stmt *st =
                db ? db_prepare(db, "SELECT id FROM containers WHERE pod_id = ? ORDER BY created", err) : NULL;
        char **v;
        int rc;

        if (!st)
                return cpod_error_rc(err, -EIO);
        v = xnew0(char *, 1);
        db_bind_text(st, 1, pod_id);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
                strv_add(&v, db_col_text(st, 0));
        if (rc != SQLITE_DONE) {
                strv_free(v);
                return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "list the containers of pod %s: %s", pod_id,
                                      sqlite3_errmsg(db));
        }
        *ret = v;
        return 0;
}

int cpod_ctr_lookup(struct cpod_runtime *rt, const char *name_or_id, char ret_id[65], cpod_error_t *err)
{
        int n = engine_lookup(rt, "containers", name_or_id, ret_id, err);

        if (n < 0)
                return cpod_error_rc(err, -EIO);
        if (n == 1)
                return 0;
        if (n > 1)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "more than one result for container \"%s\"",
                                      name_or_id);
        return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_CTR,
                              "no container with name or ID \"%s\" found: no such container", name_or_id);
}

char *ctr_run_dir(struct cpod_runtime *rt, const char *id)
{
        return xasprintf("%s/containers/%s", rt->runroot, id);
}

char *ctr_bundle_dir(struct cpod_runtime *rt, const char *id)
{
        return xasprintf("%s/containers/%s/userdata", rt->runroot, id);
}

char *ctr_data_dir(struct cpod_runtime *rt, const char *id)
{
        return xasprintf("%s/containers/%s", rt->root, id);
}

char *ctr_exit_file(struct cpod_runtime *rt, const char *id)
{
        return xasprintf("%s/exits/%s", rt->runroot, id);
}

const char *ctr_log_driver(struct cpod_runtime *rt, const struct ctr *c)
{
        const char *d = c->cfg.log_driver;

        if (d && *d)
                return d;
        return rt->config->log_driver && *rt->config->log_driver ? rt->config->log_driver : "k8s-file";
}

int64_t ctr_log_size_max(struct cpod_runtime *rt, const struct ctr *c)
{
        return c->cfg.has_log_size_max ? c->cfg.log_size_max : rt->config->log_size_max;
}

char *ctr_log_file(struct cpod_runtime *rt, const struct ctr *c)
{
        const char *p = c->cfg.log_path;

        return p && *p ? xstrdup(p) : xasprintf("%s/containers/%s/ctr.log", rt->root, c->id);
}
