/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for lib/util: error chain, strbuf, strv, yaml emitter, json helpers, file helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/db.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "format/yaml-emit.h"

static void test_error_chain(void **state)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        int r;

        (void)state;
        r = cpod_error_set(&err, ENOENT, CPOD_E_NO_SUCH_IMAGE, "image '%s' not known", "x");
        assert_int_equal(r, -ENOENT);
        cpod_error_wrap(&err, "pull '%s'", "x");
        assert_string_equal(cpod_error_msg(&err), "pull 'x': image 'x' not known");
        assert_int_equal(err.kind, CPOD_E_NO_SUCH_IMAGE);
        assert_int_equal(err.code, ENOENT);
        cpod_error_clear(&err);
        assert_null(err.msg);
        assert_int_equal(err.kind, CPOD_E_NONE);
        r = cpod_error_sys(&err, -EACCES, "open '%s'", "/f");
        assert_int_equal(r, -EACCES);
        assert_string_equal(cpod_error_msg(&err), "open '/f': permission denied");
        cpod_error_clear(&err);
        /* A NULL error is allowed: callers that don't care pass NULL. */
        assert_int_equal(cpod_error_set(NULL, 0, CPOD_E_INVALID, "x"), -EIO);
}

static void test_strbuf(void **state)
{
        struct strbuf sb = STRBUF_INIT;
        char *s;
        size_t len;

        (void)state;
        assert_string_equal(sb.buf, "");
        strbuf_addstr(&sb, "  hello");
        strbuf_addch(&sb, ' ');
        strbuf_addf(&sb, "%d world \n", 42);
        strbuf_trim(&sb);
        assert_string_equal(sb.buf, "hello 42 world");
        assert_true(strbuf_endswith(&sb, "world"));
        for (int i = 0; i < 10000; i++)
                strbuf_addch(&sb, 'x');
        assert_int_equal(sb.len, 14 + 10000);
        s = strbuf_detach(&sb, &len);
        assert_int_equal(len, 10014);
        assert_string_equal(sb.buf, "");
        free(s);
        s = strbuf_detach(&sb, NULL); /* empty buffer still hands out a string */
        assert_string_equal(s, "");
        free(s);
}

static void test_strv(void **state)
{
        _cleanup_strv_ char **v = strv_split("a,,b,c", ",");
        _cleanup_free_ char *j = NULL;

        (void)state;
        assert_int_equal(strv_length(v), 3);
        assert_true(strv_contains(v, "b"));
        assert_false(strv_contains(v, "d"));
        j = strv_join(v, "+");
        assert_string_equal(j, "a+b+c");
}

static void check_yaml(const char *json, const char *expect)
{
        json_t *j = json_loads(json, JSON_PRESERVE_ORDER, NULL);
        struct strbuf sb = STRBUF_INIT;

        assert_non_null(j);
        yaml_emit(j, &sb);
        assert_string_equal(sb.buf, expect);
        strbuf_release(&sb);
        json_decref(j);
}

static void test_yaml_emit(void **state)
{
        (void)state;
        check_yaml("{\"t\":\"2021-03-18T16:26:08Z\",\"d\":\"2021-03\"}", "t: \"2021-03-18T16:26:08Z\"\nd: 2021-03\n");
        check_yaml("{\"host\":{\"arch\":\"amd64\",\"list\":[\"a\",\"b\"],\"num\":2,\"n\":1}}",
                   "host:\n  arch: amd64\n  list:\n  - a\n  - b\n  num: 2\n  \"n\": 1\n");
        /* Strings YAML would read as something else are quoted. */
        check_yaml("{\"v\":\"12\",\"b\":\"true\",\"c\":\"a: b\",\"e\":\"\",\"q\":\"it's: x\"}",
                   "v: \"12\"\nb: \"true\"\nc: 'a: b'\ne: ''\nq: 'it''s: x'\n");
        check_yaml("{\"m\":\"line1\\nline2\",\"o\":{},\"a\":[],\"z\":null}",
                   "m: |-\n  line1\n  line2\no: {}\na: []\nz: null\n");
        check_yaml("{\"l\":[{\"a\":1,\"b\":2}]}", "l:\n- a: 1\n  b: 2\n");
}

static void test_json_helpers(void **state)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        json_t *j = json_parse_buf("{\"a\":{\"b\":{\"c\":\"d\"}},\"n\":5}", 27, "test", &err);
        json_t *bad;

        (void)state;
        assert_non_null(j);
        assert_string_equal(json_string_value(json_path(j, "a.b.c")), "d");
        assert_null(json_path(j, "a.x.c"));
        assert_int_equal(json_get_int(j, "n", 0), 5);
        assert_int_equal(json_get_int(j, "missing", 7), 7);
        json_decref(j);
        bad = json_parse_buf("{\"a\":1,\"a\":2}", 13, "dup.json", &err);
        assert_null(bad);
        assert_non_null(strstr(cpod_error_msg(&err), "dup.json"));
        cpod_error_clear(&err);
}

static void test_files(void **state)
{
        char tmpl[] = "/tmp/cpod-unit-XXXXXX";
        char *dir = mkdtemp(tmpl);
        _cleanup_free_ char *deep = NULL, *file = NULL, *buf = NULL;
        cpod_error_t err = CPOD_ERROR_INIT;
        size_t len;

        (void)state;
        assert_non_null(dir);
        deep = path_join(dir, "a/b/c");
        assert_int_equal(mkdir_p(deep, 0755, &err), 0);
        assert_true(is_dir(deep));
        file = path_join(deep, "f");
        assert_int_equal(write_file_atomic(file, "data", 4, 0600, &err), 0);
        assert_int_equal(read_file(file, &buf, &len, 100, &err), 0);
        assert_int_equal(len, 4);
        assert_string_equal(buf, "data");
        free(buf);
        buf = NULL;
        assert_true(read_file(file, &buf, &len, 2, &err) < 0); /* over the limit */
        assert_int_equal(err.code, EFBIG);
        cpod_error_clear(&err);
        assert_int_equal(rm_rf(dir, &err), 0);
        assert_false(path_exists(dir));
        {
                _cleanup_free_ char *p = path_join("/a//", "/b");
                assert_string_equal(p, "/a/b");
        }
}

static void insert_rows(sqlite3 *db, int n)
{
        for (int i = 0; i < n; i++)
                assert_int_equal(db_exec(db, "INSERT INTO t(v) VALUES (randomblob(100))", NULL), 0);
}

/* Checkpoints: not in the foreground below the limit, at once when idle, in the foreground past it. */
static void test_db_checkpoints(void **state)
{
        static const char *const schema[] = { "CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)", NULL };
        char tmpl[] = "/tmp/cpod-unit-XXXXXX";
        char *dir = mkdtemp(tmpl);
        _cleanup_free_ char *path = NULL;
        sqlite3 *db = NULL;
        int max = 0;

        (void)state;
        assert_non_null(dir);
        path = path_join(dir, "t.db");
        assert_int_equal(db_open(path, schema, &db, NULL), 0);
        insert_rows(db, 40); /* each commit appends at least one frame */
        assert_true(db_wal_pending(db) >= 40);
        db_checkpoint_idle(db);
        assert_int_equal(db_wal_pending(db), 0);
        insert_rows(db, 1); /* the WAL starts over after a complete checkpoint */
        assert_true(db_wal_pending(db) > 0 && db_wal_pending(db) < 5);
        db_checkpoint_idle(db); /* too short to bother */
        assert_true(db_wal_pending(db) > 0);
        for (int i = 0; i < 400; i++) {
                insert_rows(db, 1);
                if (db_wal_pending(db) > max)
                        max = db_wal_pending(db);
        }
        assert_true(max >= 150 && max < 170); /* checkpointed in the foreground around 160 frames */
        db_close(db);
        assert_int_equal(rm_rf(dir, NULL), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_error_chain),    cmocka_unit_test(test_strbuf),
                cmocka_unit_test(test_strv),           cmocka_unit_test(test_yaml_emit),
                cmocka_unit_test(test_json_helpers),   cmocka_unit_test(test_files),
                cmocka_unit_test(test_db_checkpoints),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
