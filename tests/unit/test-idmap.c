/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for ID mappings (lib/util/idmap.c) and subordinate ID files (lib/ctr/userns-auto.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctr/userns.h"
#include "util/fileutil.h"
#include "util/idmap.h"
#include "util/strv.h"

static void test_parse(void **state)
{
        struct idmap m = { 0 };
        char *good[] = { "0:100000:65536", "65536:1:1", NULL };
        const char *bad_in[] = { "0:100000",       "a:1:2",          "0:1:0",  "1:2:3:4", "",
                                 "-1:1:1",         "0:1:-1",         ":1:1",   "0:1:",    "4294967296:0:1",
                                 "4294967295:0:2", "0:4294967295:2", "0: 1:1", NULL };
        const char *bad = NULL;

        (void)state;
        assert_int_equal(idmap_parse_strv(good, &m, &bad), 0);
        assert_int_equal(m.n, 2);
        assert_int_equal(m.v[0].ctr, 0);
        assert_int_equal(m.v[0].host, 100000);
        assert_int_equal(m.v[0].size, 65536);
        assert_int_equal(m.v[1].ctr, 65536);
        idmap_clear(&m);
        for (const char **b = bad_in; *b; b++) {
                char *one[] = { (char *)*b, NULL };
                assert_int_equal(idmap_parse_strv(one, &m, &bad), -22);
                assert_string_equal(bad, *b);
                assert_int_equal(m.n, 0);
        }
        /* the largest range that fits */
        assert_int_equal(idmap_add_text(&m, "4294967295:0:1"), 0);
        idmap_clear(&m);
}

static void test_overlap_and_lookup(void **state)
{
        struct idmap m = { 0 };
        uint32_t h = 0;
        char **v;

        (void)state;
        idmap_add(&m, 0, 100000, 1000);
        idmap_add(&m, 1000, 300000, 10);
        assert_int_equal(idmap_first_overlap(&m), -1);
        assert_true(idmap_to_host(&m, 0, &h));
        assert_int_equal(h, 100000);
        assert_true(idmap_to_host(&m, 1009, &h));
        assert_int_equal(h, 300009);
        assert_false(idmap_to_host(&m, 1010, &h));
        v = idmap_to_strv(&m);
        assert_string_equal(v[0], "0:100000:1000");
        assert_string_equal(v[1], "1000:300000:10");
        assert_null(v[2]);
        strv_free(v);
        idmap_add(&m, 5, 200000, 10); /* container side overlaps the first */
        assert_int_equal(idmap_first_overlap(&m), 2);
        idmap_clear(&m);
        idmap_add(&m, 0, 100000, 10);
        idmap_add(&m, 10, 100005, 10); /* host side overlaps */
        assert_int_equal(idmap_first_overlap(&m), 1);
        idmap_clear(&m);
}

static void test_subids(void **state)
{
        char path[] = "/tmp/cpod-test-subid.XXXXXX";
        int fd = mkstemp(path);
        const char *text = "# comment\nother:5:5\ncontainers:200000:1000\nbroken\ncontainers:500000:10\n";
        struct idmap m = { 0 };
        cpod_error_t err = CPOD_ERROR_INIT;

        (void)state;
        assert_true(fd >= 0);
        assert_int_equal(write_all(fd, text, strlen(text)), 0);
        close(fd);
        assert_int_equal(userns_subids(path, "containers", &m, &err), 0);
        assert_int_equal(m.n, 2);
        assert_int_equal(m.v[0].ctr, 0);
        assert_int_equal(m.v[0].host, 200000);
        assert_int_equal(m.v[0].size, 1000);
        assert_int_equal(m.v[1].ctr, 1000); /* ranges follow each other in the container */
        assert_int_equal(m.v[1].host, 500000);
        idmap_clear(&m);
        assert_true(userns_subids(path, "nobody-here", &m, &err) < 0);
        assert_non_null(strstr(cpod_error_msg(&err), "no subuid ranges found for user \"nobody-here\""));
        cpod_error_clear(&err);
        unlink(path);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse),
                cmocka_unit_test(test_overlap_and_lookup),
                cmocka_unit_test(test_subids),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
