/* SPDX-License-Identifier: Apache-2.0 */
/* --change instructions (commit, import) applied to an image config. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "image/changes.h"
#include "util/cleanup.h"
#include "util/json.h"

/* Apply one change to a config given as JSON and compare the result (compact JSON). */
static void check(const char *before, const char *change, const char *after)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *cfg = json_loads(before, 0, NULL);
        _cleanup_free_ char *got = NULL;

        assert_non_null(cfg);
        if (image_apply_change(cfg, change, &err) < 0)
                fail_msg("%s: %s", change, cpod_error_msg(&err));
        got = json_dump_compact(cfg);
        if (strcmp(got, after) != 0)
                fail_msg("%s: got %s, want %s", change, got, after);
}

static void check_error(const char *change, const char *msg)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *cfg = json_object();

        assert_true(image_apply_change(cfg, change, &err) < 0);
        assert_int_equal(err.kind, CPOD_E_INVALID);
        if (!strstr(cpod_error_msg(&err), msg))
                fail_msg("%s: message \"%s\" lacks \"%s\"", change, cpod_error_msg(&err), msg);
        cpod_error_clear(&err);
}

static void test_commands(void **state)
{
        (void)state;
        check("{}", "CMD [\"/bin/true\", \"x\"]", "{\"Cmd\":[\"/bin/true\",\"x\"]}");
        check("{}", "CMD echo hi", "{\"Cmd\":[\"/bin/sh\",\"-c\",\"echo hi\"]}");
        check("{}", "entrypoint /bin/sh", "{\"Entrypoint\":[\"/bin/sh\",\"-c\",\"/bin/sh\"]}");
        check("{\"Cmd\":[\"a\"]}", "CMD [\"b\"]", "{\"Cmd\":[\"b\"]}");
        /* Not a JSON array of strings: shell form. */
        check("{}", "CMD [1, 2]", "{\"Cmd\":[\"/bin/sh\",\"-c\",\"[1, 2]\"]}");
}

static void test_env_labels(void **state)
{
        (void)state;
        check("{}", "ENV A=1", "{\"Env\":[\"A=1\"]}");
        check("{\"Env\":[\"A=0\",\"B=2\"]}", "ENV A=1 C=\"x y\"", "{\"Env\":[\"A=1\",\"B=2\",\"C=x y\"]}");
        check("{}", "ENV GREETING hello world", "{\"Env\":[\"GREETING=hello world\"]}");
        check("{}", "LABEL k=v 'a b'=c", "{\"Labels\":{\"k\":\"v\",\"a b\":\"c\"}}");
        check("{\"Labels\":{\"k\":\"old\"}}", "LABEL k new value", "{\"Labels\":{\"k\":\"new value\"}}");
        check("{}", "ENV P=a\\ b", "{\"Env\":[\"P=a b\"]}");
}

static void test_misc(void **state)
{
        (void)state;
        check("{}", "EXPOSE 80 53/UDP 8000-8010/tcp",
              "{\"ExposedPorts\":{\"80/tcp\":{},\"53/udp\":{},\"8000-8010/tcp\":{}}}");
        check("{}", "STOPSIGNAL SIGINT", "{\"StopSignal\":\"2\"}");
        check("{}", "STOPSIGNAL 9", "{\"StopSignal\":\"9\"}");
        check("{}", "USER 1000:1000", "{\"User\":\"1000:1000\"}");
        check("{}", "VOLUME /data /logs", "{\"Volumes\":{\"/data\":{},\"/logs\":{}}}");
        check("{}", "VOLUME [\"/a b\"]", "{\"Volumes\":{\"/a b\":{}}}");
        check("{}", "WORKDIR /srv", "{\"WorkingDir\":\"/srv\"}");
        check("{\"WorkingDir\":\"/srv\"}", "WORKDIR app", "{\"WorkingDir\":\"/srv/app\"}");
        check("{}", "WORKDIR app", "{\"WorkingDir\":\"/app\"}");
        check("{}", "ONBUILD RUN make", "{\"OnBuild\":[\"RUN make\"]}");
}

static void test_errors(void **state)
{
        (void)state;
        check_error("BOGUS x", "invalid change \"BOGUS x\" - invalid instruction BOGUS");
        check_error("ENV", "ENV requires at least one argument");
        check_error("ENV A=\"x", "unterminated quote");
        check_error("ENV =x", "KEY=VALUE");
        check_error("EXPOSE", "EXPOSE requires");
        check_error("EXPOSE http", "invalid port");
        check_error("EXPOSE 80/xyz", "invalid port");
        check_error("STOPSIGNAL SIGNOPE", "invalid signal");
        check_error("USER", "USER requires");
        check_error("WORKDIR", "WORKDIR requires");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_commands),
                cmocka_unit_test(test_env_labels),
                cmocka_unit_test(test_misc),
                cmocka_unit_test(test_errors),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
