/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for OCI hooks files (lib/ctr/hooks.c): parsing, checks, matching, directory precedence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctr/hooks.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* A spec with process.args[0] = cmd and the annotations given as "k=v" pairs. */
static json_t *spec(const char *cmd, const char *const *ann)
{
        json_t *s = json_pack("{s:{s:[s]}, s:{}}", "process", "args", cmd, "annotations");

        for (const char *const *a = ann; a && *a; a++) {
                const char *eq = strchr(*a, '=');
                _cleanup_free_ char *k = xstrndup(*a, (size_t)(eq - *a));
                json_object_set_new(json_object_get(s, "annotations"), k, json_string(eq + 1));
        }
        return s;
}

/* 1 match, 0 no match, -1 invalid file. */
static int match(const char *hook, const char *cmd, const char *const *ann, bool binds)
{
        _cleanup_json_ json_t *s = spec(cmd, ann);
        cpod_error_t err = CPOD_ERROR_INIT;
        bool m = false;
        int r = hooks_match_file(hook, s, binds, &m, &err);

        cpod_error_clear(&err);
        return r < 0 ? -1 : m;
}

#define V1(when) "{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/true\"},\"when\":" when ",\"stages\":[\"prestart\"]}"

static void test_v1_conditions(void **state)
{
        const char *const yes[] = { "com.example.gpu=yes", NULL }, *const no[] = { "com.example.gpu=no", NULL };

        (void)state;
        assert_int_equal(match(V1("{\"always\":true}"), "/bin/sh", NULL, false), 1);
        assert_int_equal(match(V1("{\"always\":false}"), "/bin/sh", NULL, false), 0);
        assert_int_equal(match(V1("{}"), "/bin/sh", NULL, false), 0); /* no condition: never */
        assert_int_equal(match(V1("{\"hasBindMounts\":true}"), "sh", NULL, true), 1);
        assert_int_equal(match(V1("{\"hasBindMounts\":true}"), "sh", NULL, false), 0);
        assert_int_equal(match(V1("{\"annotations\":{\"^com\\\\.example\\\\.gpu$\":\"^yes$\"}}"), "sh", yes, false), 1);
        assert_int_equal(match(V1("{\"annotations\":{\"^com\\\\.example\\\\.gpu$\":\"^yes$\"}}"), "sh", no, false), 0);
        assert_int_equal(match(V1("{\"annotations\":{\"gpu\":\"y\"}}"), "sh", yes, false), 1); /* unanchored */
        assert_int_equal(match(V1("{\"commands\":[\"^/bin/s.$\",\"nginx\"]}"), "/bin/sh", NULL, false), 1);
        assert_int_equal(match(V1("{\"commands\":[\"^/bin/s.$\"]}"), "/usr/bin/sh", NULL, false), 0);
        assert_int_equal(match(V1("{\"commands\":[\"nginx\"]}"), "/usr/sbin/nginx", NULL, false), 1);
}

static void test_v1_all_must_hold(void **state)
{
        const char *const yes[] = { "a=1", NULL };

        (void)state;
        assert_int_equal(match(V1("{\"always\":true,\"hasBindMounts\":true}"), "sh", NULL, false), 0);
        assert_int_equal(match(V1("{\"always\":true,\"hasBindMounts\":true}"), "sh", NULL, true), 1);
        assert_int_equal(match(V1("{\"annotations\":{\"a\":\"1\"},\"commands\":[\"^sh$\"]}"), "sh", yes, false), 1);
        assert_int_equal(match(V1("{\"annotations\":{\"a\":\"1\"},\"commands\":[\"^sh$\"]}"), "bash", yes, false), 0);
        assert_int_equal(match(V1("{\"annotations\":{\"a\":\"1\"},\"commands\":[\"^sh$\"]}"), "sh", NULL, false), 0);
        /* two annotation conditions: both */
        assert_int_equal(match(V1("{\"annotations\":{\"a\":\"1\",\"b\":\"2\"}}"), "sh", yes, false), 0);
}

static void test_v0_any_condition(void **state)
{
        const char *const ann[] = { "whatever=gpu-please", NULL };

        (void)state;
        /* no version: 0.1.0; any condition matching is enough */
        assert_int_equal(match("{\"hook\":\"/bin/true\",\"stage\":[\"prestart\"],\"cmd\":[\"^nginx$\"],"
                               "\"annotation\":[\"gpu\"]}",
                               "sh", ann, false),
                         1);
        assert_int_equal(match("{\"hook\":\"/bin/true\",\"stages\":[\"prestart\"],\"cmds\":[\"^nginx$\"],"
                               "\"hasbindmounts\":true}",
                               "nginx", NULL, false),
                         1);
        assert_int_equal(match("{\"version\":\"0.1.0\",\"hook\":\"/bin/true\",\"stages\":[\"prestart\"],"
                               "\"hasbindmounts\":true}",
                               "nginx", NULL, false),
                         0);
        assert_int_equal(
                match("{\"hook\":\"/bin/true\",\"stage\":[\"prestart\"],\"stages\":[\"poststop\"]}", "sh", NULL, false),
                -1);
}

static void test_invalid_files(void **state)
{
        (void)state;
        assert_int_equal(match("{not json", "sh", NULL, false), -1);
        assert_int_equal(match("{\"version\":\"2.0.0\",\"hook\":{\"path\":\"/bin/true\"},\"stages\":[\"prestart\"]}",
                               "sh", NULL, false),
                         -1);
        assert_int_equal(match("{\"version\":\"1.0.0\",\"hook\":{\"path\":\"true\"},\"when\":{\"always\":true},"
                               "\"stages\":[\"prestart\"]}",
                               "sh", NULL, false),
                         -1);
        assert_int_equal(
                match("{\"version\":\"1.0.0\",\"hook\":{},\"when\":{\"always\":true},\"stages\":[\"prestart\"]}", "sh",
                      NULL, false),
                -1);
        assert_int_equal(match("{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/nonexistent/hook\"},"
                               "\"when\":{\"always\":true},\"stages\":[\"prestart\"]}",
                               "sh", NULL, false),
                         -1);
        assert_int_equal(match(V1("{\"commands\":[\"(unclosed\"]}"), "sh", NULL, false), -1);
        assert_int_equal(match(V1("{\"annotations\":{\"[\":\"x\"}}"), "sh", NULL, false), -1);
        assert_int_equal(match("{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/true\"},\"when\":{\"always\":true},"
                               "\"stages\":[\"preboot\"]}",
                               "sh", NULL, false),
                         -1);
        assert_int_equal(match("{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/true\"},\"when\":{\"always\":true}}",
                               "sh", NULL, false),
                         -1);
        assert_int_equal(match("{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/true\",\"timeout\":-1},"
                               "\"when\":{\"always\":true},\"stages\":[\"prestart\"]}",
                               "sh", NULL, false),
                         -1);
}

static void write_in(const char *dir, const char *name, const char *text)
{
        _cleanup_free_ char *p = path_join(dir, name);

        assert_int_equal(write_file(p, text, strlen(text), 0644, NULL), 0);
}

static const char *first_arg(json_t *hook)
{
        const char *a = json_string_value(json_array_get(json_object_get(hook, "args"), 0));

        return a ? a : "(none)";
}

static void count_warning(void *ud, const char *msg)
{
        (void)msg;
        (*(int *)ud)++;
}

/* Directories in order (later override same names), stages filled in file-name order, poststop apart. */
static void test_directories(void **state)
{
        char tmpl[] = "/tmp/cpod-hooks-XXXXXX";
        _cleanup_free_ char *a = NULL, *b = NULL, *missing = NULL;
        _cleanup_json_ json_t *s = spec("/bin/sh", NULL), *post = NULL;
        struct hook_set *set;
        int warnings = 0;

        (void)state;
        assert_non_null(mkdtemp(tmpl));
        a = path_join(tmpl, "a");
        b = path_join(tmpl, "b");
        missing = path_join(tmpl, "missing");
        assert_int_equal(mkdir_p(a, 0755, NULL), 0);
        assert_int_equal(mkdir_p(b, 0755, NULL), 0);
        write_in(a, "20-late.json",
                 "{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/true\",\"args\":[\"late\"]},"
                 "\"when\":{\"always\":true},\"stages\":[\"prestart\",\"poststop\"]}");
        write_in(a, "10-overridden.json",
                 "{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/true\",\"args\":[\"from-a\"]},"
                 "\"when\":{\"always\":true},\"stages\":[\"prestart\"]}");
        write_in(b, "10-overridden.json",
                 "{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/true\",\"args\":[\"from-b\"]},"
                 "\"when\":{\"always\":true},\"stages\":[\"prestart\",\"createRuntime\"]}");
        write_in(b, "15-broken.json", "{\"version\":\"1.0.0\"");
        write_in(b, "README", "not a hook");
        set = hooks_load((char *const[]){ a, missing, b, NULL }, count_warning, &warnings);
        assert_int_equal(hooks_count(set), 2);
        assert_int_equal(warnings, 1);
        hooks_apply(set, s, false, &post);
        assert_string_equal(first_arg(json_array_get(json_path(s, "hooks.prestart"), 0)), "from-b");
        assert_string_equal(first_arg(json_array_get(json_path(s, "hooks.prestart"), 1)), "late");
        assert_int_equal(json_array_size(json_path(s, "hooks.createRuntime")), 1);
        assert_null(json_path(s, "hooks.poststop"));
        assert_int_equal(json_array_size(post), 1);
        assert_string_equal(first_arg(json_array_get(post, 0)), "late");
        hooks_free(set);
        assert_int_equal(rm_rf(tmpl, NULL), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_v1_conditions),    cmocka_unit_test(test_v1_all_must_hold),
                cmocka_unit_test(test_v0_any_condition), cmocka_unit_test(test_invalid_files),
                cmocka_unit_test(test_directories),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
