/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for format/tabwriter.  Expected outputs are worked out by hand
 * from Go's text/tabwriter rules (column blocks of consecutive lines, width
 * = widest cell + padding but at least minwidth, last cell never padded);
 * the first case is podman 4.3.1's real `images --format table` output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "format/tabwriter.h"

static void check_ex(const char *in, size_t len, size_t minw, size_t pad, char padchar, const char *want)
{
        struct strbuf sb = STRBUF_INIT;

        if (len == SIZE_MAX)
                len = strlen(in);
        cpod_tabwrite_ex(in, len, minw, pad, padchar, &sb);
        if (sb.len != strlen(want) || memcmp(sb.buf, want, sb.len) != 0)
                fail_msg("tabwrite(\"%s\"): got \"%s\", want \"%s\"", in, sb.buf, want);
        strbuf_release(&sb);
}

static void check(const char *in, const char *want)
{
        struct strbuf sb = STRBUF_INIT;

        cpod_tabwrite(in, strlen(in), &sb);
        if (strcmp(sb.buf, want) != 0)
                fail_msg("tabwrite(\"%s\"): got \"%s\", want \"%s\"", in, sb.buf, want);
        strbuf_release(&sb);
}

static void test_podman_table(void **state)
{
        (void)state;
        check("IMAGE ID\tREPOSITORY\n4544e9e91fbc\tlocalhost/cpodfmttest\n",
              "IMAGE ID      REPOSITORY\n4544e9e91fbc  localhost/cpodfmttest\n");
        /* minwidth 12 even for short cells; the last cell is never padded */
        check("A\tB\tC\nx\ty\tz\n", "A           B           C\nx           y           z\n");
        check("", "");
        check("\n", "\n");
        check("no tabs\n", "no tabs\n");
}

static void test_elastic_blocks(void **state)
{
        (void)state;
        /* Go's "elastic" example, left aligned: b/bb and dddd are in different blocks of column 1 */
        check_ex("a\tb\tc\naa\tbb\tcc\naaa\t\naaaa\tdddd\teeee\n", SIZE_MAX, 0, 1, '.',
                 "a....b..c\naa...bb.cc\naaa..\naaaa.dddd.eeee\n");
        /* a line without a tab ends every block */
        check("x\ty\nlonger-name-here\nab\tc\n", "x           y\nlonger-name-here\nab          c\n");
        check("x\ty\nlonger-name-here\tz\n", "x                 y\nlonger-name-here  z\n");
        /* a trailing tab puts the cell before it in a column */
        check("a\tb\t\nc\n", "a           b           \nc\n");
        /* the last line without newline: an empty final cell is dropped, as Go's Flush does */
        check("a\tb\t", "a           b");
        check("a\tb", "a           b");
        /* empty cells are padded */
        check("\tx\n\ty\n", "            x\n            y\n");
        /* '\v' ends a cell like '\t' */
        check("a\vb\n", "a           b\n");
}

static void test_formfeed_and_escape(void **state)
{
        (void)state;
        /* '\f' is a line break that also ends the column block */
        check("a\tb\fxxxxxxxxxxxxxxxx\tc\n", "a           b\nxxxxxxxxxxxxxxxx  c\n");
        check("a\tb\nxxxxxxxxxxxxxxxx\tc\n", "a                 b\nxxxxxxxxxxxxxxxx  c\n");
        /* text between 0xFF bytes is literal: its tab does not split, the 0xFF are kept but not counted */
        check("\xff"
              "a\tb\xff\tc\n",
              "\xff"
              "a\tb\xff"
              "          c\n");
}

static void test_utf8_width(void **state)
{
        (void)state;
        /* display width: CJK counts 2, combining marks 0 */
        check("名前\tb\nab\tc\n", "名前        b\nab          c\n");
        check("e\xcc\x81\tb\n", "e\xcc\x81           b\n");
        check("héllo-wörld-long\tx\ny\tz\n", "héllo-wörld-long  x\ny                 z\n");
        /* invalid UTF-8 counts one column per byte */
        check("\xc3\tb\n", "\xc3           b\n");
}

static void test_binary(void **state)
{
        struct strbuf sb = STRBUF_INIT;

        (void)state;
        /* NUL bytes are data (width 0, like other control characters) */
        cpod_tabwrite_ex("a\0\tb\n", 5, 4, 1, ' ', &sb);
        assert_int_equal(sb.len, 7);
        assert_memory_equal(sb.buf, "a\0   b\n", 7);
        strbuf_release(&sb);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_podman_table),
                cmocka_unit_test(test_elastic_blocks),
                cmocka_unit_test(test_formfeed_and_escape),
                cmocka_unit_test(test_utf8_width),
                cmocka_unit_test(test_binary),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
