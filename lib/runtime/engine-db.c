/* SPDX-License-Identifier: Apache-2.0 */
#include "runtime/engine-db.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/db.h"
#include "util/fileutil.h"
#include "util/xalloc.h"

static const char *const schema[] = {
        /* version 1: containers */
        "CREATE TABLE containers ("
        "  id TEXT PRIMARY KEY,"
        "  name TEXT NOT NULL UNIQUE,"
        "  pod_id TEXT,"
        "  image_id TEXT, image_name TEXT,"
        "  layer_id TEXT,"
        "  created INTEGER NOT NULL,"
        "  command TEXT,"
        "  labels TEXT,"
        "  config TEXT NOT NULL,"
        "  state INTEGER NOT NULL,"
        "  pid INTEGER NOT NULL DEFAULT 0,"
        "  conmon_pid INTEGER NOT NULL DEFAULT 0,"
        "  conmon_start INTEGER NOT NULL DEFAULT 0,"
        "  exit_code INTEGER NOT NULL DEFAULT 0,"
        "  started_at INTEGER NOT NULL DEFAULT 0,"
        "  finished_at INTEGER NOT NULL DEFAULT 0,"
        "  oom_killed INTEGER NOT NULL DEFAULT 0,"
        "  restart_count INTEGER NOT NULL DEFAULT 0,"
        "  stopped_by_user INTEGER NOT NULL DEFAULT 0,"
        "  boot_id TEXT,"
        "  mountpoint TEXT);"
        "CREATE INDEX containers_pod ON containers(pod_id);"
        "CREATE INDEX containers_image ON containers(image_id);",
        /* version 2: pods */
        "CREATE TABLE pods ("
        "  id TEXT PRIMARY KEY,"
        "  name TEXT NOT NULL UNIQUE,"
        "  created INTEGER NOT NULL,"
        "  infra_id TEXT,"
        "  labels TEXT,"
        "  config TEXT NOT NULL);",
        /* version 3: what listings need, without parsing each container's config */
        "ALTER TABLE containers ADD COLUMN cmd_json TEXT;"
        "ALTER TABLE containers ADD COLUMN list_flags INTEGER NOT NULL DEFAULT 0;"
        "UPDATE containers SET cmd_json = json_extract(config, '$.EffectiveCommand'),"
        "  list_flags = (coalesce(json_extract(config, '$.Rm'), 0) != 0)"
        "             | ((coalesce(json_extract(config, '$.IsInfra'), 0) != 0) << 1);",
        /* version 4: containers that join another's namespaces (--pid container:X ...) depend on it */
        "CREATE TABLE ctr_deps (ctr_id TEXT NOT NULL, dep_id TEXT NOT NULL);"
        "CREATE INDEX ctr_deps_dep ON ctr_deps(dep_id);"
        "CREATE TRIGGER ctr_deps_add AFTER INSERT ON containers BEGIN"
        "  INSERT INTO ctr_deps SELECT DISTINCT new.id, substr(value, 11) FROM json_each(new.config)"
        "  WHERE key IN ('PidMode', 'IpcMode', 'UtsMode', 'NetworkMode') AND type = 'text'"
        "    AND value LIKE 'container:%';"
        "END;"
        "CREATE TRIGGER ctr_deps_drop AFTER DELETE ON containers BEGIN"
        "  DELETE FROM ctr_deps WHERE ctr_id = old.id;"
        "END;",
        /*
         * version 5: what a container needs of its pod is resolved at create into its own config
         * (lib/pod/member.c); records made before get it here: the pod's cgroup, its infra
         * (container:INFRA for each namespace the pod shares), hostname, exit policy and, with the
         * network, its DNS settings.  CgroupnsMode joins the dependency triggers.
         */
        "UPDATE containers SET config = json_set(containers.config, '$.CgroupParent',"
        "    coalesce(json_extract(p.config, '$.CgroupParent'), cpod_pod_cgroup_parent(p.id)))"
        "  FROM pods p WHERE containers.pod_id = p.id"
        "   AND json_extract(containers.config, '$.CgroupParent') IS NULL"
        "   AND (coalesce(json_extract(containers.config, '$.IsInfra'), 0)"
        "        OR coalesce(json_extract(p.config, '$.ShareParent'), 1));"
        "CREATE TEMP TABLE v5_members AS SELECT c.id AS id, p.infra_id AS infra, p.config AS pod"
        "  FROM containers c JOIN pods p ON c.pod_id = p.id"
        "  WHERE NOT coalesce(json_extract(c.config, '$.IsInfra'), 0);"
        "UPDATE containers SET config = json_set(containers.config,"
        "    '$.PodInfra', m.infra, '$.PodHostname', json_extract(m.pod, '$.Hostname'),"
        "    '$.PodExitStop', json(CASE WHEN json_extract(m.pod, '$.ExitPolicy') = 'stop'"
        "                               THEN 'true' ELSE 'false' END))"
        "  FROM v5_members m WHERE containers.id = m.id;"
        "UPDATE containers SET config = json_set(containers.config, '$.PidMode', 'container:' || m.infra)"
        "  FROM v5_members m WHERE containers.id = m.id AND m.infra IS NOT NULL"
        "   AND EXISTS (SELECT 1 FROM json_each(m.pod, '$.Share') WHERE value = 'pid');"
        "UPDATE containers SET config = json_set(containers.config, '$.IpcMode', 'container:' || m.infra)"
        "  FROM v5_members m WHERE containers.id = m.id AND m.infra IS NOT NULL"
        "   AND EXISTS (SELECT 1 FROM json_each(m.pod, '$.Share') WHERE value = 'ipc');"
        "UPDATE containers SET config = json_set(containers.config, '$.UtsMode', 'container:' || m.infra)"
        "  FROM v5_members m WHERE containers.id = m.id AND m.infra IS NOT NULL"
        "   AND EXISTS (SELECT 1 FROM json_each(m.pod, '$.Share') WHERE value = 'uts');"
        "UPDATE containers SET config = json_set(containers.config, '$.NetworkMode', 'container:' || m.infra)"
        "  FROM v5_members m WHERE containers.id = m.id AND m.infra IS NOT NULL"
        "   AND EXISTS (SELECT 1 FROM json_each(m.pod, '$.Share') WHERE value = 'net');"
        "UPDATE containers SET config = json_set(containers.config, '$.CgroupnsMode', 'container:' || m.infra)"
        "  FROM v5_members m WHERE containers.id = m.id AND m.infra IS NOT NULL"
        "   AND EXISTS (SELECT 1 FROM json_each(m.pod, '$.Share') WHERE value = 'cgroup');"
        "UPDATE containers SET config = json_set(containers.config,"
        "    '$.Dns', json(json_extract(m.pod, '$.Dns')), '$.DnsSearch', json(json_extract(m.pod, '$.DnsSearch')),"
        "    '$.DnsOption', json(json_extract(m.pod, '$.DnsOption')),"
        "    '$.AddHost', json(json_extract(m.pod, '$.AddHost')),"
        "    '$.NoHosts', CASE json_type(m.pod, '$.NoHosts') WHEN 'true' THEN json('true')"
        "                                                    WHEN 'false' THEN json('false') END)"
        "  FROM v5_members m WHERE containers.id = m.id AND m.infra IS NOT NULL"
        "   AND EXISTS (SELECT 1 FROM json_each(m.pod, '$.Share') WHERE value = 'net');"
        "DROP TRIGGER ctr_deps_add;"
        "CREATE TRIGGER ctr_deps_add AFTER INSERT ON containers BEGIN"
        "  INSERT INTO ctr_deps SELECT DISTINCT new.id, substr(value, 11) FROM json_each(new.config)"
        "  WHERE key IN ('PidMode', 'IpcMode', 'UtsMode', 'NetworkMode', 'CgroupnsMode') AND type = 'text'"
        "    AND value LIKE 'container:%';"
        "END;"
        "DELETE FROM ctr_deps;"
        "INSERT INTO ctr_deps SELECT DISTINCT c.id, substr(j.value, 11) FROM containers c, json_each(c.config) j"
        "  WHERE j.key IN ('PidMode', 'IpcMode', 'UtsMode', 'NetworkMode', 'CgroupnsMode') AND j.type = 'text'"
        "    AND j.value LIKE 'container:%';"
        "DROP TABLE v5_members;",
        /*
         * version 6: named volumes (lib/volume); the containers that use one, from the NamedVolumes
         * member of their config (resolved at create).  state: 0 ready, 1 being removed.
         */
        "CREATE TABLE volumes ("
        "  name TEXT PRIMARY KEY,"
        "  driver TEXT NOT NULL,"
        "  created INTEGER NOT NULL,"
        "  labels TEXT,"
        "  options TEXT,"
        "  anonymous INTEGER NOT NULL DEFAULT 0,"
        "  uid INTEGER NOT NULL DEFAULT -1,"
        "  gid INTEGER NOT NULL DEFAULT -1,"
        "  needs_copy_up INTEGER NOT NULL DEFAULT 1,"
        "  needs_chown INTEGER NOT NULL DEFAULT 1,"
        "  state INTEGER NOT NULL DEFAULT 0);"
        "CREATE TABLE ctr_volumes (ctr_id TEXT NOT NULL, volume TEXT NOT NULL);"
        "CREATE INDEX ctr_volumes_volume ON ctr_volumes(volume);"
        "CREATE TRIGGER ctr_volumes_add AFTER INSERT ON containers BEGIN"
        "  INSERT INTO ctr_volumes SELECT DISTINCT new.id, json_extract(value, '$.Name')"
        "  FROM json_each(new.config, '$.NamedVolumes');"
        "END;"
        "CREATE TRIGGER ctr_volumes_drop AFTER DELETE ON containers BEGIN"
        "  DELETE FROM ctr_volumes WHERE ctr_id = old.id;"
        "END;",
        /*
         * version 7: user namespaces (lib/ctr/userns*.c).  --userns auto's ranges, owned by the
         * container's layer (known, and covered by its create intent, before the record exists),
         * freed with the record; a container sharing another's user namespace depends on it.
         */
        "CREATE TABLE userns_ranges (owner TEXT NOT NULL, kind TEXT NOT NULL, start INTEGER NOT NULL,"
        "  size INTEGER NOT NULL);"
        "CREATE INDEX userns_ranges_owner ON userns_ranges(owner);"
        "CREATE TRIGGER userns_ranges_drop AFTER DELETE ON containers BEGIN"
        "  DELETE FROM userns_ranges WHERE owner = old.layer_id;"
        "END;"
        "DROP TRIGGER ctr_deps_add;"
        "CREATE TRIGGER ctr_deps_add AFTER INSERT ON containers BEGIN"
        "  INSERT INTO ctr_deps SELECT DISTINCT new.id, substr(value, 11) FROM json_each(new.config)"
        "  WHERE key IN ('PidMode', 'IpcMode', 'UtsMode', 'NetworkMode', 'CgroupnsMode', 'UsernsMode')"
        "    AND type = 'text' AND value LIKE 'container:%';"
        "END;",
        NULL,
};

const char *const *engine_db_schema(void)
{
        return schema;
}

/* cpod_pod_cgroup_parent(POD_ID): the convention the migrations need (runtime-internal.h). */
static void fn_pod_cgroup_parent(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
        const struct cpod_runtime *rt = sqlite3_user_data(ctx);
        const char *id = (const char *)sqlite3_value_text(argv[0]);
        char *v;

        if (argc != 1 || !id) {
                sqlite3_result_null(ctx);
                return;
        }
        v = rt_pod_cgroup_parent(rt, id);
        sqlite3_result_text(ctx, v, -1, free);
}

static int register_functions(sqlite3 *db, void *userdata)
{
        return sqlite3_create_function(db, "cpod_pod_cgroup_parent", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, userdata,
                                       fn_pod_cgroup_parent, NULL, NULL);
}

static void db_free(void *p)
{
        db_close(p);
}

sqlite3 *engine_db(struct cpod_runtime *rt, cpod_error_t *err)
{
        _cleanup_free_ char *path = NULL;
        sqlite3 *db;

        if (rt->mod[RT_MOD_DB].p)
                return rt->mod[RT_MOD_DB].p;
        if (mkdir_p(rt->root, 0700, err) < 0)
                return NULL;
        path = path_join(rt->root, "cpod.db");
        if (db_open_with(path, schema, register_functions, rt, &db, err) < 0)
                return NULL;
        rt->mod[RT_MOD_DB].p = db;
        rt->mod[RT_MOD_DB].free = db_free;
        return db;
}

int engine_lookup(struct cpod_runtime *rt, const char *table, const char *name_or_id, char ret_id[65],
                  cpod_error_t *err)
{
        sqlite3 *db = engine_db(rt, err);
        _cleanup_stmt_ sqlite3_stmt *st = NULL;
        _cleanup_free_ char *like = xasprintf("%s%%", name_or_id);
        _cleanup_free_ char *sql = xasprintf("SELECT id, 0 FROM %s WHERE name = ?1 OR id = ?1 "
                                             "UNION ALL SELECT id, 1 FROM %s WHERE id LIKE ?2 AND ?3 LIMIT 3",
                                             table, table);
        int n = 0;

        if (!db || !(st = db_prepare(db, sql, err)))
                return cpod_error_rc(err, -EIO);
        db_bind_text(st, 1, name_or_id);
        db_bind_text(st, 2, like);
        db_bind_int64(st, 3, *name_or_id && strspn(name_or_id, "0123456789abcdef") == strlen(name_or_id));
        while (sqlite3_step(st) == SQLITE_ROW) {
                if (sqlite3_column_int(st, 1) == 0) {
                        snprintf(ret_id, 65, "%s", db_col_text(st, 0));
                        return 1;
                }
                if (n++ == 0)
                        snprintf(ret_id, 65, "%s", db_col_text(st, 0));
        }
        return n > 1 ? 2 : n;
}
