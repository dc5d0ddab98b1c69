/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the YAML subset of registries.d files (lib/image/registries-d.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "image/registries-d.h"
#include "util/cleanup.h"
#include "util/json.h"

static char *parse_err(const char *text)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        json_t *j = NULL;
        static char msg[256];

        if (yaml_mapping_parse(text, "f.yaml", &j, &err) == 0) {
                json_decref(j);
                return NULL;
        }
        snprintf(msg, sizeof(msg), "%s", cpod_error_msg(&err));
        cpod_error_clear(&err);
        return msg;
}

static void test_mappings(void **state)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *j = NULL;
        const json_t *e;

        (void)state;
        assert_int_equal(yaml_mapping_parse("# comment\n---\ndefault-docker:\n  lookaside: file:///var/lib/sig\n"
                                            "docker:\n  localhost:5000:   # a registry\n"
                                            "    lookaside: \"http://h/a b#c\"\n"
                                            "  localhost:5000/team:\n    sigstore: 'it''s'\n"
                                            "    use-sigstore-attachments: true\n",
                                            "f.yaml", &j, &err),
                         0);
        assert_string_equal(json_string_value(json_path(j, "default-docker.lookaside")), "file:///var/lib/sig");
        e = registries_d_for(j, "localhost:5000/team/app");
        assert_string_equal(json_get_str((json_t *)e, "sigstore"), "it's");
        e = registries_d_for(j, "localhost:5000/other");
        assert_string_equal(json_get_str((json_t *)e, "lookaside"), "http://h/a b#c");
        e = registries_d_for(j, "example.com/x");
        assert_string_equal(json_get_str((json_t *)e, "lookaside"), "file:///var/lib/sig");
}

static void test_refused(void **state)
{
        (void)state;
        assert_non_null(strstr(parse_err("docker:\n  - x\n"), "f.yaml:2: sequences"));
        assert_non_null(strstr(parse_err("docker:\n\tx: y\n"), "f.yaml:2: tabs"));
        assert_non_null(strstr(parse_err("a: 1\na: 2\n"), "f.yaml:2: duplicate key"));
        assert_non_null(strstr(parse_err("a: {b: c}\n"), "f.yaml:1: unsupported YAML"));
        assert_non_null(strstr(parse_err("a: &x c\n"), "f.yaml:1: unsupported YAML"));
        assert_non_null(strstr(parse_err("a:\n    b: 1\n  c: 2\n"), "f.yaml:3: inconsistent indentation"));
        assert_non_null(strstr(parse_err("a: \"open\n"), "f.yaml:1: unterminated"));
        assert_non_null(strstr(parse_err("just text\n"), "f.yaml:1: expected"));
        assert_non_null(strstr(parse_err("a:\nb: 1\n"), "f.yaml:2: empty mapping"));
        assert_null(parse_err(""));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_mappings),
                cmocka_unit_test(test_refused),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
