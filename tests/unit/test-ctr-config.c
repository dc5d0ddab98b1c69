/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the typed container config (lib/ctr/ctr-config.c): the wire contract of cpod_ctr_create. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ctr/ctr-config.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"

static json_t *j(const char *text)
{
        json_t *v = json_loads(text, 0, NULL);

        assert_non_null(v);
        return v;
}

static int parse(const char *text, bool stored, struct ctr_config *c, cpod_error_t *err)
{
        _cleanup_json_ json_t *v = j(text);

        return ctr_config_parse(v, stored, c, err);
}

static void test_typed_members(void **state)
{
        struct ctr_config c;
        cpod_error_t err = CPOD_ERROR_INIT;

        (void)state;
        assert_int_equal(parse("{\"Image\":\"busybox\",\"Name\":\"n\",\"Command\":[\"sh\",\"-c\",\"x\"],"
                               "\"Env\":[\"A=1\"],\"Tty\":true,\"Memory\":67108864,\"Cpus\":0.5,\"PidsLimit\":0,"
                               "\"Labels\":{\"k\":\"v\"},\"NoHosts\":false,\"StopTimeout\":0}",
                               false, &c, &err),
                         0);
        assert_string_equal(c.image, "busybox");
        assert_string_equal(c.command[2], "x");
        assert_true(c.tty);
        assert_int_equal(c.memory, 67108864);
        assert_true(c.has_cpus);
        assert_true(c.cpus > 0.49 && c.cpus < 0.51);
        /* given as 0 is not the same as not given */
        assert_true(c.has_pids_limit);
        assert_true(c.has_stop_timeout);
        assert_int_equal(c.no_hosts, 0);
        assert_int_equal(c.read_only_tmpfs, -1);
        assert_string_equal(json_get_str(c.labels, "k"), "v");
        assert_false(c.has_entrypoint);
        ctr_config_clear(&c);
}

/* The record's JSON reads back to the same config, and writes the same JSON again. */
static void test_round_trip(void **state)
{
        static const char *const docs[] = {
                "{\"Image\":\"i\",\"Entrypoint\":[]}",
                "{\"Image\":\"i\",\"Entrypoint\":[\"/bin/sh\"],\"Command\":[\"-c\",\"true\"]}",
                "{\"Image\":\"i\",\"ReadOnly\":true,\"ReadOnlyTmpfs\":false,\"NoHosts\":true,\"Cpus\":2.0,"
                "\"PidsLimit\":-1,\"LogSizeMax\":0,\"Sysctls\":{\"net.ipv4.ip_forward\":\"1\"},"
                "\"IsInfra\":true,\"EffectiveCommand\":[\"a\",\"b\"],\"PodExitStop\":true,"
                "\"CgroupnsMode\":\"container:abc\"}",
        };

        (void)state;
        for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
                struct ctr_config a, b;
                _cleanup_json_ json_t *in = j(docs[i]), *out = NULL, *again = NULL;
                assert_int_equal(ctr_config_parse(in, true, &a, NULL), 0);
                out = ctr_config_to_json(&a);
                if (!json_equal(in, out)) {
                        _cleanup_free_ char *s = json_dumps(out, JSON_SORT_KEYS);
                        fail_msg("%s came back as %s", docs[i], s);
                }
                assert_int_equal(ctr_config_parse(out, true, &b, NULL), 0);
                again = ctr_config_to_json(&b);
                assert_true(json_equal(out, again));
                ctr_config_clear(&a);
                ctr_config_clear(&b);
        }
}

static void test_unknown_members(void **state)
{
        struct ctr_config c;
        cpod_error_t err = CPOD_ERROR_INIT;

        (void)state;
        /* A client sending a whole structure with empty fields keeps working. */
        assert_int_equal(parse("{\"Image\":\"i\",\"HealthCheck\":null,\"Secrets\":[],\"HealthLogDestination\":\"\","
                               "\"Sdnotify\":\"\",\"OomScoreAdj\":0,\"Rlimits\":{}}",
                               false, &c, &err),
                         0);
        ctr_config_clear(&c);
        /* Asking for what cpod cannot do is an error, never a silent no-op. */
        assert_true(parse("{\"Image\":\"i\",\"Sdnotify\":\"conmon\"}", false, &c, &err) < 0);
        assert_int_equal(err.kind, CPOD_E_INVALID);
        assert_string_equal(cpod_error_msg(&err), "invalid container config: \"Sdnotify\" is not supported by cpod");
        cpod_error_clear(&err);
        ctr_config_clear(&c);
        /* What cpod resolves itself is not taken from a client... */
        assert_true(parse("{\"Image\":\"i\",\"IsInfra\":true}", false, &c, &err) < 0);
        assert_string_equal(cpod_error_msg(&err),
                            "invalid container config: \"IsInfra\" is set by cpod, not by a client");
        cpod_error_clear(&err);
        ctr_config_clear(&c);
        assert_true(parse("{\"EffectiveCommand\":[\"sh\"]}", false, &c, &err) < 0);
        cpod_error_clear(&err);
        ctr_config_clear(&c);
        /* ...but read back from a record; a record of a newer cpod keeps its unknown members to itself. */
        assert_int_equal(parse("{\"IsInfra\":true,\"FutureThing\":42}", true, &c, &err), 0);
        assert_true(c.is_infra);
        ctr_config_clear(&c);
}

static void test_types(void **state)
{
        static const char *const bad[][2] = {
                { "{\"Memory\":\"64m\"}", "\"Memory\" must be an integer" },
                { "{\"Memory\":1.5}", "\"Memory\" must be an integer" },
                { "{\"Tty\":1}", "\"Tty\" must be true or false" },
                { "{\"Image\":7}", "\"Image\" must be a string" },
                { "{\"Env\":\"A=1\"}", "\"Env\" must be an array of strings" },
                { "{\"Env\":[\"A=1\",2]}", "\"Env\" must be an array of strings" },
                { "{\"Labels\":{\"a\":1}}", "\"Labels\" must be an object of strings" },
                { "{\"Labels\":[\"a=b\"]}", "\"Labels\" must be an object of strings" },
                { "{\"Cpus\":\"2\"}", "\"Cpus\" must be a number" },
                { "{\"NoHosts\":\"yes\"}", "\"NoHosts\" must be true or false" },
        };
        _cleanup_json_ json_t *arr = j("[]");

        (void)state;
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                struct ctr_config c;
                cpod_error_t err = CPOD_ERROR_INIT;
                assert_true(parse(bad[i][0], false, &c, &err) < 0);
                if (!strstr(cpod_error_msg(&err), bad[i][1]))
                        fail_msg("%s: '%s'", bad[i][0], cpod_error_msg(&err));
                cpod_error_clear(&err);
                ctr_config_clear(&c);
        }
        {
                struct ctr_config c;
                assert_true(ctr_config_parse(arr, false, &c, NULL) < 0);
                ctr_config_clear(&c);
        }
}

/* podman's rules for what runs; the image has ENTRYPOINT ["/ep"] CMD ["cmd"]. */
static void test_command(void **state)
{
        static const char *const cases[][2] = {
                { "{}", "/ep cmd" },
                { "{\"Command\":[\"x\",\"y\"]}", "/ep x y" },
                { "{\"Entrypoint\":[\"/new\"]}", "/new" },
                { "{\"Entrypoint\":[\"/new\"],\"Command\":[\"z\"]}", "/new z" },
                { "{\"Entrypoint\":[],\"Command\":[\"z\"]}", "z" },
                { "{\"Entrypoint\":[]}", "" },
                { "{\"Entrypoint\":null,\"Command\":[]}", "/ep cmd" },
        };
        _cleanup_json_ json_t *img = j("{\"Entrypoint\":[\"/ep\"],\"Cmd\":[\"cmd\"]}");

        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct ctr_config c;
                _cleanup_strv_ char **v = NULL;
                _cleanup_free_ char *s = NULL;
                assert_int_equal(parse(cases[i][0], false, &c, NULL), 0);
                v = ctr_config_command(&c, img);
                s = strv_join(v, " ");
                if (strcmp(s, cases[i][1]) != 0)
                        fail_msg("%s: ran '%s', want '%s'", cases[i][0], s, cases[i][1]);
                ctr_config_clear(&c);
        }
        {
                struct ctr_config c;
                _cleanup_strv_ char **v = NULL;
                assert_int_equal(parse("{\"Command\":[\"only\"]}", false, &c, NULL), 0);
                v = ctr_config_command(&c, NULL); /* an infra without an image */
                assert_string_equal(v[0], "only");
                assert_null(v[1]);
                ctr_config_clear(&c);
        }
}

static void test_env_ok(void **state)
{
        (void)state;
        assert_true(ctr_config_env_ok("A=1"));
        assert_true(ctr_config_env_ok("A="));
        assert_true(ctr_config_env_ok("A=b=c"));
        assert_false(ctr_config_env_ok("=x"));
        assert_false(ctr_config_env_ok("="));
        assert_false(ctr_config_env_ok("NOVALUE"));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_typed_members),   cmocka_unit_test(test_round_trip),
                cmocka_unit_test(test_unknown_members), cmocka_unit_test(test_types),
                cmocka_unit_test(test_command),         cmocka_unit_test(test_env_ok),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
