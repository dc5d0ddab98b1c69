/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the cgroup readers (lib/ctr/cgroup-v1.c, cgroup-v2.c) against fixture trees in
 * data/cgroup: this host is hybrid, so the v1-only and v2-only layouts are tested here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctr/cgroup-stats.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/human.h"

static char *proc_text(const char *layout)
{
        _cleanup_free_ char *p = path_join("data/cgroup", layout);
        _cleanup_free_ char *f = path_join(p, "proc-cgroup");
        char *text = NULL;
        size_t len;

        assert_int_equal(read_file(f, &text, &len, 1 << 16, NULL), 0);
        return text;
}

static void test_proc_path(void **state)
{
        _cleanup_free_ char *t = proc_text("v1"), *mem = cg_proc_path(t, "memory"), *acct = cg_proc_path(t, "cpuacct"),
                            *cpu = cg_proc_path(t, "cpu"), *v2 = cg_proc_path(t, ""),
                            *none = cg_proc_path(t, "hugetlb");

        (void)state;
        assert_string_equal(mem, "/cpod_parent/cpod-a");
        assert_string_equal(acct, "/cpod_parent/cpod-a"); /* from the joint "cpu,cpuacct" line */
        assert_string_equal(cpu, "/cpod_parent/cpod-a");
        assert_string_equal(v2, "/");
        assert_null(none);
}

static void test_v1(void **state)
{
        _cleanup_free_ char *t = proc_text("v1");
        struct cg_sample s;
        cpod_error_t err = CPOD_ERROR_INIT;
        long hz = sysconf(_SC_CLK_TCK);

        (void)state;
        assert_ptr_equal(cg_stats_ops_for(CPOD_CGROUP_V1), &cg_stats_v1);
        assert_ptr_equal(cg_stats_ops_for(CPOD_CGROUP_HYBRID), &cg_stats_v1);
        assert_int_equal(cg_stats_v1.sample("data/cgroup/v1", t, &s, &err), 0);
        assert_int_equal(s.mem_usage, 10485760);
        assert_int_equal(s.cpu_ns, 2500000000ULL);
        assert_int_equal(s.cpu_system_ns, 50 * (1000000000ULL / (uint64_t)hz));
        /* The CFQ file holds only a zero total: the throttle layer's counters, over all devices. */
        assert_int_equal(s.blk_read, 4196);
        assert_int_equal(s.blk_write, 8392);
        assert_int_equal(s.pids, 3);
}

static void test_v2(void **state)
{
        _cleanup_free_ char *t = proc_text("v2");
        struct cg_sample s;
        cpod_error_t err = CPOD_ERROR_INIT;
        uint64_t v = 42;

        (void)state;
        assert_ptr_equal(cg_stats_ops_for(CPOD_CGROUP_V2), &cg_stats_v2);
        assert_int_equal(cg_stats_v2.sample("data/cgroup/v2", t, &s, &err), 0);
        assert_int_equal(s.mem_usage, 20971520);
        assert_int_equal(s.cpu_ns, 1500000000ULL);
        assert_int_equal(s.cpu_system_ns, 500000000ULL);
        assert_int_equal(s.blk_read, 1010);
        assert_int_equal(s.blk_write, 2020);
        assert_int_equal(s.pids, 7);
        assert_false(cg_read_u64("data/cgroup/v2/pod/ctr", "pids.max", &v)); /* "max" is no number */
        assert_int_equal(v, 42);
}

static void test_missing(void **state)
{
        _cleanup_free_ char *t2 = proc_text("v2");
        struct cg_sample s;
        cpod_error_t err = CPOD_ERROR_INIT;

        (void)state;
        /* A v2 reader without a "0::" line, a v1 reader on a v2 layout, a path leaving the
         * mount: no cgroup, an error rather than zeros. */
        assert_true(cg_stats_v2.sample("data/cgroup/v2", "4:memory:/cpod_parent/cpod-a\n", &s, &err) < 0);
        cpod_error_clear(&err);
        assert_true(cg_stats_v1.sample("data/cgroup/v1", t2, &s, &err) < 0);
        cpod_error_clear(&err);
        assert_true(cg_stats_v1.sample("data/cgroup/v1", "4:memory:/../../etc\n", &s, &err) < 0);
        cpod_error_clear(&err);
}

static void test_printing(void **state)
{
        static const struct {
                int64_t ns;
                const char *s;
        } d[] = { { 0, "0s" },
                  { 999, "999ns" },
                  { 1500, "1.5\xc2\xb5s" },
                  { 35073480, "35.07348ms" },
                  { 2500000000LL, "2.5s" },
                  { 63500000000LL, "1m3.5s" },
                  { 7200000000000LL, "2h0m0s" } };

        (void)state;
        for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
                _cleanup_free_ char *s = go_duration_string(d[i].ns);
                assert_string_equal(s, d[i].s);
        }
        {
                _cleanup_free_ char *a = human_bytes_compact(0), *b = human_bytes_compact(21540000),
                                    *c = human_bytes_compact(67108864);
                assert_string_equal(a, "0B");
                assert_string_equal(b, "20.54MiB");
                assert_string_equal(c, "64MiB");
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_proc_path), cmocka_unit_test(test_v1),       cmocka_unit_test(test_v2),
                cmocka_unit_test(test_missing),   cmocka_unit_test(test_printing),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
