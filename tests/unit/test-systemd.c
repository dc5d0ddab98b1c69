/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for generate systemd (lib/engine/systemd-*.c): escaping, layout, --new rewriting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "engine/systemd-internal.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* A few of run's flags: which take a value. */
static int takes_value(const char *name, void *data)
{
        static const char *const valued[] = { "name",    "e",         "env",      "p",   "publish",
                                              "network", "restart",   "sdnotify", "pod", "cidfile",
                                              "cgroups", "log-level", NULL };
        static const char *const bools[] = { "d", "detach", "i", "t", "rm", "replace", "privileged", NULL };

        (void)data;
        if (strv_contains((char *const *)valued, name))
                return 1;
        return strv_contains((char *const *)bools, name) ? 0 : -1;
}

static void check_escape(const char *in, const char *want)
{
        _cleanup_free_ char *got = sd_escape(in);
        assert_string_equal(got, want);
}

static void test_escape(void **state)
{
        (void)state;
        check_escape("plain", "plain");
        check_escape("$HOME", "$$HOME");
        check_escape("50%", "50%%");
        check_escape("a b", "\"a b\"");
        check_escape("say \"hi\"", "\"say \\\"hi\\\"\"");
        check_escape("back\\slash", "back\\\\slash");
        check_escape("tab\there", "\"tab\\there\"");
}

static void test_format_args(void **state)
{
        char *argv[] = { "/bin/cpod", "run", "--rm", "-d", "img", "sh", "-c", "x", NULL };
        _cleanup_free_ char *got = sd_format_args(argv);

        (void)state;
        assert_string_equal(got, "/bin/cpod run \\\n\t--rm \\\n\t-d img sh \\\n\t-c x");
}

/* The ExecStart of a --new unit for the create command given (space separated). */
static char *new_start(const char *cmdline, const char *pod_id_file, struct sd_unit *u)
{
        struct cpod_systemd_opts o = { .executable = "/bin/cpod",
                                       .restart_sec = -1,
                                       .start_timeout = -1,
                                       .stop_timeout = -1,
                                       .takes_value = takes_value };
        cpod_error_t err = CPOD_ERROR_INIT;

        memset(u, 0, sizeof(*u));
        u->service = xstrdup("container-x");
        u->restart = xstrdup("on-failure");
        u->stop_timeout = 10;
        u->create_command = strv_split(cmdline, " ");
        u->ctr_env = json_pack("[s, s]", "PATH=/bin", "FOO=bar");
        u->pod_id_file = pod_id_file ? xstrdup(pod_id_file) : NULL;
        assert_int_equal(sd_new_ctr(u, &o, &err), 0);
        return xstrdup(u->exec_start);
}

static void check_new(const char *cmdline, const char *want)
{
        struct sd_unit u;
        _cleanup_free_ char *got = new_start(cmdline, NULL, &u);

        assert_string_equal(got, want);
        sd_unit_clear(&u);
}

static void test_new_ctr(void **state)
{
        (void)state;
        check_new("cpod create --name w --privileged img top",
                  "/bin/cpod run \\\n\t--cidfile=%t/%n.ctr-id \\\n\t--cgroups=no-conmon \\\n\t--rm "
                  "\\\n\t--sdnotify=conmon "
                  "\\\n\t-d \\\n\t--replace \\\n\t--name w \\\n\t--privileged img top");
        /* a cluster of booleans holds -d; -p8080:80 carries its value; the command's own --rm stays */
        check_new("cpod run -dit -p8080:80 --rm=true --restart always img sh --rm",
                  "/bin/cpod run \\\n\t--cidfile=%t/%n.ctr-id \\\n\t--cgroups=no-conmon \\\n\t--rm "
                  "\\\n\t--sdnotify=conmon "
                  "\\\n\t-dit \\\n\t-p8080:80 img sh \\\n\t--rm");
        /* --detach=false and --sdnotify=ignore give way; root flags go before run */
        check_new("cpod --root /r run --detach=false --sdnotify=ignore --cidfile /x img",
                  "/bin/cpod \\\n\t--root /r run \\\n\t--cidfile=%t/%n.ctr-id \\\n\t--cgroups=no-conmon \\\n\t--rm "
                  "\\\n\t--sdnotify=conmon \\\n\t-d img");
}

static void test_new_ctr_restart_env_pod(void **state)
{
        struct sd_unit u;
        _cleanup_free_ char *got =
                new_start("cpod run -d --pod p --restart=on-failure:4 -e FOO --env=X=1 img", "%t/pod-p.pod-id", &u);

        (void)state;
        assert_string_equal(got, "/bin/cpod run \\\n\t--cidfile=%t/%n.ctr-id \\\n\t--cgroups=no-conmon \\\n\t--rm "
                                 "\\\n\t--pod-id-file %t/pod-p.pod-id \\\n\t--sdnotify=conmon \\\n\t-d \\\n\t-e FOO "
                                 "\\\n\t--env=X=1 img");
        assert_string_equal(u.restart, "on-failure");
        assert_string_equal(u.start_limit_burst, "4");
        assert_int_equal(strv_length(u.extra_env), 1);
        assert_string_equal(u.extra_env[0], "FOO=bar");
        assert_true(u.notify);
        assert_null(u.pidfile);
        sd_unit_clear(&u);
}

static void test_new_pod(void **state)
{
        struct cpod_systemd_opts o = { .executable = "/bin/cpod" };
        cpod_error_t err = CPOD_ERROR_INIT;
        struct sd_unit u = { .service = xstrdup("pod-p"), .stop_timeout = 10 };

        (void)state;
        u.create_command = strv_split("cpod --root /r pod create --name p --replace=false", " ");
        assert_int_equal(sd_new_pod(&u, &o, &err), 0);
        assert_string_equal(u.exec_start_pre[1],
                            "/bin/cpod \\\n\t--root /r pod create \\\n\t--infra-conmon-pidfile "
                            "%t/pod-p.pid \\\n\t--pod-id-file %t/pod-p.pod-id \\\n\t--exit-policy=stop "
                            "\\\n\t--name p \\\n\t--replace");
        assert_string_equal(u.exec_start, "/bin/cpod --root /r pod start \\\n\t--pod-id-file %t/pod-p.pod-id");
        assert_string_equal(u.pidfile, "%t/pod-p.pid");
        sd_unit_clear(&u);

        u.service = xstrdup("pod-q");
        u.create_command = strv_split("cpod run img", " ");
        assert_true(sd_new_pod(&u, &o, &err) < 0);
        assert_non_null(strstr(cpod_error_msg(&err), "pod does not appear to be created via"));
        cpod_error_clear(&err);
        sd_unit_clear(&u);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_escape),  cmocka_unit_test(test_format_args),
                cmocka_unit_test(test_new_ctr), cmocka_unit_test(test_new_ctr_restart_env_pod),
                cmocka_unit_test(test_new_pod),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
