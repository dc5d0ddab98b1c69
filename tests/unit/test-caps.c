/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for lib/ctr/caps.c: the name table and podman's add/drop rules. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ctr/caps.h"
#include "util/cleanup.h"
#include "util/strv.h"

/* containers.conf default_capabilities as shipped with podman. */
static char *podman_defaults[] = {
        "CHOWN",   "DAC_OVERRIDE", "FOWNER",  "FSETID", "KILL",       "NET_BIND_SERVICE",
        "SETFCAP", "SETGID",       "SETPCAP", "SETUID", "SYS_CHROOT", NULL,
};

static char **compute_ok(char *const *defaults, char *const *add, char *const *drop, bool privileged)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        char **v = NULL;

        if (caps_compute(defaults, add, drop, privileged, &v, &err) < 0)
                fail_msg("unexpected error: %s", cpod_error_msg(&err));
        assert_non_null(v);
        /* Always sorted and unique. */
        for (size_t i = 0; v[i] && v[i + 1]; i++)
                assert_true(strcmp(v[i], v[i + 1]) < 0);
        return v;
}

static char *compute_err(char *const *defaults, char *const *add, char *const *drop, bool privileged)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        char **v = (char **)(uintptr_t)0x1;
        char *msg;

        assert_true(caps_compute(defaults, add, drop, privileged, &v, &err) < 0);
        assert_ptr_equal(v, (char **)(uintptr_t)0x1); /* untouched on failure */
        assert_int_equal(err.kind, CPOD_E_INVALID);
        assert_int_equal(err.code, EINVAL);
        msg = strdup(cpod_error_msg(&err));
        cpod_error_clear(&err);
        return msg;
}

static void assert_strv(char **v, const char *joined)
{
        _cleanup_free_ char *s = strv_join(v, ",");
        assert_string_equal(s, joined);
}

/* Capabilities this process holds in its bounding set: "all" can never exceed them. */
static bool held(int cap)
{
        FILE *f = fopen("/proc/self/status", "re");
        char line[256];
        unsigned long long bnd = ~0ULL;

        while (f && fgets(line, sizeof(line), f))
                if (strncmp(line, "CapBnd:", 7) == 0)
                        bnd = strtoull(line + 7, NULL, 16);
        if (f)
                fclose(f);
        return (bnd >> cap) & 1;
}

static size_t known_count(void)
{
        size_t n = 0;

        for (int i = 0; i <= cap_last_cap(); i++)
                n += held(i);
        return n;
}

static void test_table(void **state)
{
        (void)state;
        assert_int_equal(cap_number("CAP_CHOWN"), 0);
        assert_int_equal(cap_number("chown"), 0);
        assert_int_equal(cap_number("Cap_Sys_Admin"), 21);
        assert_int_equal(cap_number("sys_admin"), 21);
        assert_int_equal(cap_number("CAP_AUDIT_READ"), 37);
        assert_int_equal(cap_number("PERFMON"), 38);
        assert_int_equal(cap_number("bpf"), 39);
        assert_int_equal(cap_number("CAP_CHECKPOINT_RESTORE"), 40);
        assert_int_equal(cap_number("ALL"), -1);
        assert_int_equal(cap_number("all"), -1);
        assert_int_equal(cap_number("CAP_ALL"), -1);
        assert_int_equal(cap_number(""), -1);
        assert_int_equal(cap_number("CAP_"), -1);
        assert_int_equal(cap_number("CAP_FOO"), -1);
        assert_int_equal(cap_number(" CHOWN"), -1);
        assert_int_equal(cap_number(NULL), -1);
        assert_true(cap_name_valid("net_raw"));
        assert_true(cap_name_valid("CAP_NET_RAW"));
        assert_false(cap_name_valid("net-raw"));
        assert_false(cap_name_valid("all"));
        for (int i = 0; i <= 40; i++) {
                assert_non_null(cap_name(i));
                assert_int_equal(cap_number(cap_name(i)), i);
                assert_int_equal(strncmp(cap_name(i), "CAP_", 4), 0);
        }
        assert_null(cap_name(41));
        assert_null(cap_name(-1));
        assert_string_equal(cap_name(0), "CAP_CHOWN");
        assert_string_equal(cap_name(40), "CAP_CHECKPOINT_RESTORE");
        {
                _cleanup_free_ char *a = cap_normalize("net_admin"), *b = cap_normalize("all"),
                                    *c = cap_normalize("cap_kill");
                assert_string_equal(a, "CAP_NET_ADMIN");
                assert_string_equal(b, "ALL");
                assert_string_equal(c, "CAP_KILL");
        }
}

static void test_cap_last_cap(void **state)
{
        _cleanup_fclose_ FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
        int kernel = -1;

        (void)state;
        assert_true(cap_last_cap() >= 0 && cap_last_cap() <= 40);
        if (f && fscanf(f, "%d", &kernel) == 1)
                assert_int_equal(cap_last_cap(), kernel < 40 ? kernel : 40);
}

static void test_defaults(void **state)
{
        _cleanup_strv_ char **v = compute_ok(podman_defaults, NULL, NULL, false);
        static char *mixed[] = { "cap_kill", "KILL", "Chown", "CAP_CHOWN", NULL };
        _cleanup_strv_ char **w = compute_ok(mixed, NULL, NULL, false);
        _cleanup_strv_ char **none = compute_ok(NULL, NULL, NULL, false);

        (void)state;
        assert_strv(v, "CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FOWNER,CAP_FSETID,CAP_KILL,CAP_NET_BIND_SERVICE,"
                       "CAP_SETFCAP,CAP_SETGID,CAP_SETPCAP,CAP_SETUID,CAP_SYS_CHROOT");
        assert_int_equal(strv_length(v), 11);
        assert_strv(w, "CAP_CHOWN,CAP_KILL");
        assert_int_equal(strv_length(none), 0);
}

static void test_add_drop(void **state)
{
        static char *add[] = { "net_admin", "CAP_SYS_ADMIN", "chown", NULL };
        static char *drop[] = { "CAP_SETUID", "setgid", "sys_ptrace", NULL };
        _cleanup_strv_ char **a = compute_ok(podman_defaults, add, NULL, false);
        _cleanup_strv_ char **d = compute_ok(podman_defaults, NULL, drop, false);
        _cleanup_strv_ char **ad = compute_ok(podman_defaults, add, drop, false);

        (void)state;
        assert_int_equal(strv_length(a), 13);
        assert_true(strv_contains(a, "CAP_NET_ADMIN"));
        assert_true(strv_contains(a, "CAP_SYS_ADMIN"));
        /* Dropping a capability that is not there is fine. */
        assert_int_equal(strv_length(d), 9);
        assert_false(strv_contains(d, "CAP_SETUID"));
        assert_false(strv_contains(d, "CAP_SETGID"));
        assert_int_equal(strv_length(ad), 11);
        assert_strv(ad, "CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FOWNER,CAP_FSETID,CAP_KILL,CAP_NET_ADMIN,"
                        "CAP_NET_BIND_SERVICE,CAP_SETFCAP,CAP_SETPCAP,CAP_SYS_ADMIN,CAP_SYS_CHROOT");
}

static void test_drop_all(void **state)
{
        static char *all[] = { "ALL", NULL }, *lower_all[] = { "all", NULL };
        static char *add[] = { "net_raw", "CAP_CHOWN", NULL };
        _cleanup_strv_ char **only = compute_ok(podman_defaults, add, all, false);
        _cleanup_strv_ char **empty = compute_ok(podman_defaults, NULL, lower_all, false);
        _cleanup_strv_ char **priv = compute_ok(podman_defaults, add, all, true);

        (void)state;
        assert_strv(only, "CAP_CHOWN,CAP_NET_RAW");
        assert_int_equal(strv_length(empty), 0);
        assert_strv(priv, "CAP_CHOWN,CAP_NET_RAW");
}

static void test_add_all(void **state)
{
        static char *all[] = { "all", NULL }, *all_and_x[] = { "ALL", "CAP_SYS_ADMIN", NULL };
        static char *drop[] = { "SYS_ADMIN", "NET_RAW", NULL };
        _cleanup_strv_ char **v = compute_ok(podman_defaults, all, NULL, false);
        _cleanup_strv_ char **d = compute_ok(podman_defaults, all, drop, false);
        /* With ALL the explicit adds do not clash with the drops. */
        _cleanup_strv_ char **x = compute_ok(podman_defaults, all_and_x, drop, false);

        (void)state;
        assert_int_equal(strv_length(v), known_count());
        assert_true(strv_contains(v, "CAP_SYS_ADMIN"));
        assert_int_equal(strv_length(d), known_count() - 2);
        assert_false(strv_contains(d, "CAP_SYS_ADMIN"));
        assert_false(strv_contains(d, "CAP_NET_RAW"));
        assert_true(strv_contains(d, "CAP_SYS_MODULE"));
        assert_int_equal(strv_length(x), known_count() - 2);
        assert_false(strv_contains(x, "CAP_SYS_ADMIN"));
}

static void test_privileged(void **state)
{
        static char *drop[] = { "CAP_SYS_MODULE", NULL }, *add[] = { "net_admin", NULL };
        _cleanup_strv_ char **v = compute_ok(podman_defaults, NULL, NULL, true);
        _cleanup_strv_ char **d = compute_ok(NULL, add, drop, true);

        (void)state;
        assert_int_equal(strv_length(v), known_count());
        for (int i = 0; i <= cap_last_cap(); i++)
                assert_true(strv_contains(v, cap_name(i)) == held(i));
        assert_int_equal(strv_length(d), known_count() - 1);
        assert_false(strv_contains(d, "CAP_SYS_MODULE"));
}

static void test_errors(void **state)
{
        static char *bad[] = { "CHOWN", "foo", NULL }, *bad2[] = { "CAP_BAR", NULL }, *bad3[] = { "", NULL };
        static char *dash[] = { "net-admin", NULL }, *capall[] = { "CAP_ALL", NULL };
        static char *all[] = { "ALL", NULL }, *x[] = { "net_admin", NULL }, *xx[] = { "CAP_NET_ADMIN", NULL };
        _cleanup_free_ char *e1 = compute_err(bad, NULL, NULL, false);
        _cleanup_free_ char *e2 = compute_err(podman_defaults, bad2, NULL, false);
        _cleanup_free_ char *e3 = compute_err(podman_defaults, NULL, bad3, false);
        _cleanup_free_ char *e4 = compute_err(podman_defaults, dash, NULL, false);
        _cleanup_free_ char *e5 = compute_err(podman_defaults, capall, NULL, false);
        _cleanup_free_ char *e6 = compute_err(podman_defaults, all, all, false);
        _cleanup_free_ char *e7 = compute_err(podman_defaults, x, xx, false);
        _cleanup_free_ char *e8 = compute_err(podman_defaults, bad2, NULL, true);

        (void)state;
        assert_string_equal(e1, "unknown capability \"CAP_FOO\"");
        assert_string_equal(e2, "unknown capability \"CAP_BAR\"");
        assert_string_equal(e3, "unknown capability \"CAP_\"");
        assert_string_equal(e4, "unknown capability \"CAP_NET-ADMIN\"");
        assert_string_equal(e5, "unknown capability \"CAP_ALL\"");
        assert_string_equal(e6, "adding all caps and removing all caps not allowed");
        assert_string_equal(e7, "capability \"CAP_NET_ADMIN\" cannot be dropped and added");
        assert_string_equal(e8, "unknown capability \"CAP_BAR\"");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_table),      cmocka_unit_test(test_cap_last_cap), cmocka_unit_test(test_defaults),
                cmocka_unit_test(test_add_drop),   cmocka_unit_test(test_drop_all),     cmocka_unit_test(test_add_all),
                cmocka_unit_test(test_privileged), cmocka_unit_test(test_errors),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
