/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the engine DB's migrations: a store written at an older
 * schema version opens, migrates, and reads back as the current code
 * expects.  Each case builds the old version with the old migrations and
 * rows as that version's cpod wrote them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <cpod/runtime.h>

#include "ctr/ctr.h"
#include "runtime/engine-db.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/db.h"
#include "util/fileutil.h"
#include "util/strv.h"
#include "util/xalloc.h"

#define POD "aaaa000000000000000000000000000000000000000000000000000000000001"
#define INFRA "bbbb000000000000000000000000000000000000000000000000000000000002"
#define MEMBER "cccc000000000000000000000000000000000000000000000000000000000003"
#define LONE "dddd000000000000000000000000000000000000000000000000000000000004"
#define APART "eeee000000000000000000000000000000000000000000000000000000000005"

struct fixture {
        char *dir;
        struct cpod_runtime *rt;
};

/* A DB at schema version `version`, made by the first `version` migrations. */
static sqlite3 *old_db(const char *path, int version)
{
        const char *const *all = engine_db_schema();
        const char **some = xnew0(const char *, (size_t)version + 1);
        sqlite3 *db = NULL;

        for (int i = 0; i < version; i++) {
                assert_non_null(all[i]);
                some[i] = all[i];
        }
        assert_int_equal(db_open(path, some, &db, NULL), 0);
        free(some);
        return db;
}

static void exec(sqlite3 *db, const char *sql)
{
        char *msg = NULL;

        if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
                fail_msg("%s: %s", sql, msg);
}

static int setup(void **state)
{
        struct fixture *f = xzalloc(sizeof(*f));
        char tmpl[] = "/tmp/cpod-test-db.XXXXXX";
        _cleanup_free_ char *root = NULL, *runroot = NULL;

        assert_non_null(mkdtemp(tmpl));
        f->dir = xstrdup(tmpl);
        root = path_join(f->dir, "root");
        runroot = path_join(f->dir, "run");
        assert_int_equal(mkdir_p(root, 0700, NULL), 0);
        assert_int_equal(cpod_runtime_open(&(struct cpod_runtime_opts){ .root = root,
                                                                        .runroot = runroot,
                                                                        .cgroup_manager = "cgroupfs",
                                                                        .config_path = "/dev/null" },
                                           &f->rt, NULL),
                         0);
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *f = *state;

        cpod_runtime_unref(f->rt);
        (void)rm_rf(f->dir, NULL);
        free(f->dir);
        free(f);
        return 0;
}

static void insert_ctr(sqlite3 *db, const char *id, const char *name, const char *pod, const char *config)
{
        char *sql = sqlite3_mprintf("INSERT INTO containers (id, name, pod_id, created, config, state) "
                                    "VALUES (%Q, %Q, %Q, 1, %Q, 1)",
                                    id, name, pod, config);
        exec(db, sql);
        sqlite3_free(sql);
}

/* Version 4 kept a pod member's joins out of its record (read from the pods table at start). */
static void test_v4_pod_members(void **state)
{
        struct fixture *f = *state;
        _cleanup_free_ char *path = path_join(f->rt->root, "cpod.db");
        sqlite3 *db = old_db(path, 4);
        struct ctr c = { 0 };
        int version = 0;

        exec(db, "INSERT INTO pods (id, name, created, infra_id, labels, config) VALUES ('" POD "', 'p', 1, '" INFRA
                 "', '{}', '{\"Share\":[\"ipc\",\"net\",\"uts\"],\"Hostname\":\"podhost\",\"Dns\":[\"10.0.0.1\"],"
                 "\"NoHosts\":false,\"ExitPolicy\":\"stop\"}')");
        exec(db, "INSERT INTO pods (id, name, created, infra_id, labels, config) VALUES ('" APART "', 'q', 1, NULL, "
                 "'{}', '{\"Share\":[\"net\"],\"ShareParent\":false}')");
        insert_ctr(db, INFRA, "p-infra", POD, "{\"IsInfra\":true,\"Pod\":\"" POD "\",\"Init\":true}");
        insert_ctr(db, MEMBER, "m", POD, "{\"Image\":\"busybox\",\"Pod\":\"" POD "\",\"EffectiveCommand\":[\"sh\"]}");
        insert_ctr(db, LONE, "lone", NULL, "{\"Image\":\"busybox\",\"NetworkMode\":\"container:" MEMBER "\"}");
        db_close(db);

        /* The runtime opens the DB and migrates it. */
        assert_non_null(engine_db(f->rt, NULL));
        assert_int_equal(ctr_db_get(f->rt, MEMBER, &c, NULL), 0);
        assert_string_equal(c.cfg.network_mode, "container:" INFRA);
        assert_string_equal(c.cfg.ipc_mode, "container:" INFRA);
        assert_string_equal(c.cfg.uts_mode, "container:" INFRA);
        assert_null(c.cfg.pid_mode); /* the pod does not share it */
        assert_string_equal(c.cfg.cgroup_parent, "/cpod_parent/pod-" POD);
        assert_string_equal(c.cfg.pod_infra, INFRA);
        assert_string_equal(c.cfg.pod_hostname, "podhost");
        assert_true(c.cfg.pod_exit_stop);
        assert_string_equal(c.cfg.dns[0], "10.0.0.1");
        assert_int_equal(c.cfg.no_hosts, 0);
        assert_string_equal(c.cfg.effective_command[0], "sh");
        ctr_clear(&c);
        assert_int_equal(ctr_db_get(f->rt, INFRA, &c, NULL), 0);
        assert_true(c.cfg.is_infra);
        assert_string_equal(c.cfg.cgroup_parent, "/cpod_parent/pod-" POD);
        assert_null(c.cfg.network_mode); /* the infra owns the namespaces */
        ctr_clear(&c);
        assert_int_equal(ctr_db_get(f->rt, LONE, &c, NULL), 0);
        assert_null(c.cfg.cgroup_parent);
        assert_string_equal(c.cfg.network_mode, "container:" MEMBER);
        ctr_clear(&c);

        db = engine_db(f->rt, NULL);
        {
                _cleanup_stmt_ sqlite3_stmt *st =
                        db_prepare(db, "SELECT ctr_id || '>' || dep_id FROM ctr_deps ORDER BY 1", NULL);
                _cleanup_strv_ char **deps = xnew0(char *, 1);
                while (sqlite3_step(st) == SQLITE_ROW)
                        strv_add(&deps, db_col_text(st, 0));
                assert_int_equal(strv_length(deps), 2);
                assert_string_equal(deps[0], MEMBER ">" INFRA);
                assert_string_equal(deps[1], LONE ">" MEMBER);
        }
        {
                _cleanup_stmt_ sqlite3_stmt *st = db_prepare(db, "PRAGMA user_version", NULL);
                assert_int_equal(sqlite3_step(st), SQLITE_ROW);
                version = sqlite3_column_int(st, 0);
        }
        assert_int_equal(version, (int)strv_length((char **)engine_db_schema()));
}

/* A fresh DB gets every migration, and the dependency trigger knows the cgroup namespace. */
static void test_fresh(void **state)
{
        struct fixture *f = *state;
        sqlite3 *db = engine_db(f->rt, NULL);
        _cleanup_stmt_ sqlite3_stmt *st = NULL;

        assert_non_null(db);
        insert_ctr(db, MEMBER, "m", POD, "{\"CgroupnsMode\":\"container:" INFRA "\"}");
        st = db_prepare(db, "SELECT dep_id FROM ctr_deps WHERE ctr_id = '" MEMBER "'", NULL);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_string_equal(db_col_text(st, 0), INFRA);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_v4_pod_members, setup, teardown),
                cmocka_unit_test_setup_teardown(test_fresh, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
