/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/util/toml.c.  The spec corner cases live in the
 * tests/toml corpus (checked against Python's tomllib by difftest.py); these
 * check the JSON mapping value by value, the error messages and positions,
 * and the limits.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/toml.h"

static json_t *parse_ok(const char *doc)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        json_t *j = cpod_toml_parse(doc, strlen(doc), "t.toml", &err);

        if (!j)
                fail_msg("unexpected error: %s", cpod_error_msg(&err));
        assert_true(json_is_object(j));
        cpod_error_clear(&err);
        return j;
}

/* The error message for doc (which must be rejected); caller frees. */
static char *parse_err_n(const char *doc, size_t len)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        json_t *j = cpod_toml_parse(doc, len, "t.toml", &err);
        char *msg;

        if (j)
                fail_msg("accepted invalid document: %s", doc);
        assert_int_equal(err.kind, CPOD_E_INVALID);
        assert_int_equal(err.code, EINVAL);
        msg = strdup(cpod_error_msg(&err));
        cpod_error_clear(&err);
        return msg;
}

static char *parse_err(const char *doc)
{
        return parse_err_n(doc, strlen(doc));
}

static void assert_err(const char *doc, const char *expect)
{
        _cleanup_free_ char *msg = parse_err(doc);

        assert_string_equal(msg, expect);
}

static void assert_str(json_t *j, const char *path, const char *expect)
{
        json_t *v = json_path(j, path);

        if (!json_is_string(v))
                fail_msg("%s is not a string", path);
        assert_string_equal(json_string_value(v), expect);
}

static void assert_int(json_t *j, const char *path, json_int_t expect)
{
        json_t *v = json_path(j, path);

        if (!json_is_integer(v))
                fail_msg("%s is not an integer", path);
        assert_true(json_integer_value(v) == expect);
}

static void test_scalars(void **state)
{
        _cleanup_json_ json_t *j = parse_ok("# comment\n"
                                            "s = \"hello\"  # trailing comment\n"
                                            "lit = 'C:\\path'\n"
                                            "i = -42\n"
                                            "f = 3.5\n"
                                            "t = true\n"
                                            "u = false\n");

        assert_int_equal(json_object_size(j), 6);
        assert_str(j, "s", "hello");
        assert_str(j, "lit", "C:\\path");
        assert_int(j, "i", -42);
        assert_true(json_is_real(json_object_get(j, "f")));
        assert_true(json_real_value(json_object_get(j, "f")) == 3.5);
        assert_true(json_is_true(json_object_get(j, "t")));
        assert_true(json_is_false(json_object_get(j, "u")));
}

static void test_strings(void **state)
{
        _cleanup_json_ json_t *j = parse_ok("esc = \"tab\\tq\\\"bs\\\\nl\\n\\u00e9\\U0001F600\"\n"
                                            "nul = \"a\\u0000b\"\n"
                                            "ml = \"\"\"\n  one \\\n    two\r\n three\"\"\"\n"
                                            "q = \"\"\"x\"\"\"\"\"\n"
                                            "mll = '''\nraw \\n '' '''\n"
                                            "empty = ''\n");
        json_t *nul = json_object_get(j, "nul");

        assert_str(j, "esc", "tab\tq\"bs\\nl\n\xc3\xa9\xf0\x9f\x98\x80");
        assert_int_equal(json_string_length(nul), 3);
        assert_memory_equal(json_string_value(nul), "a\0b", 3);
        assert_str(j, "ml", "  one two\n three");
        assert_str(j, "q", "x\"\"");
        assert_str(j, "mll", "raw \\n '' ");
        assert_str(j, "empty", "");
}

static void test_integers(void **state)
{
        _cleanup_json_ json_t *j = parse_ok("a = 1_000\nb = 0xdead_BEEF\nc = 0o755\nd = 0b1010\ne = +7\nf = -0\n"
                                            "max = 9223372036854775807\nmin = -9223372036854775808\n"
                                            "hmax = 0x7fffffffffffffff\n");

        assert_int(j, "a", 1000);
        assert_int(j, "b", 0xdeadbeef);
        assert_int(j, "c", 0755);
        assert_int(j, "d", 10);
        assert_int(j, "e", 7);
        assert_int(j, "f", 0);
        assert_int(j, "max", INT64_MAX);
        assert_int(j, "min", INT64_MIN);
        assert_int(j, "hmax", INT64_MAX);
        assert_err("a = 9223372036854775808", "t.toml:1:5: integer '9223372036854775808' out of range");
        assert_err("a = -9223372036854775809", "t.toml:1:5: integer '-9223372036854775809' out of range");
        assert_err("a = 0x8000000000000000", "t.toml:1:5: integer '0x8000000000000000' out of range");
        assert_err("a = 012", "t.toml:1:5: leading zero in number '012'");
        assert_err("a = 1__0", "t.toml:1:5: invalid number '1__0'");
        assert_err("a = 0x", "t.toml:1:5: invalid number '0x'");
        assert_err("a = -0x1", "t.toml:1:5: invalid number '-0x1'");
}

static void test_floats(void **state)
{
        _cleanup_json_ json_t *j = parse_ok("a = 1e3\nb = -2.5E-2\nc = 6.626_070e-34\nd = inf\ne = -inf\n"
                                            "f = nan\ng = -nan\nh = +inf\nz = -0.0\n");

        assert_true(json_real_value(json_object_get(j, "a")) == 1000.0);
        assert_true(json_real_value(json_object_get(j, "b")) == -0.025);
        assert_true(json_real_value(json_object_get(j, "c")) == 6.626070e-34);
        assert_str(j, "d", "inf");
        assert_str(j, "e", "-inf");
        assert_str(j, "f", "nan");
        assert_str(j, "g", "nan");
        assert_str(j, "h", "inf");
        assert_true(json_real_value(json_object_get(j, "z")) == 0.0);
        assert_err("a = 1e400", "t.toml:1:5: float '1e400' out of range");
        assert_err("a = 1.", "t.toml:1:5: invalid number '1.'");
        assert_err("a = .5", "t.toml:1:5: invalid value '.5'");
        assert_err("a = 1e", "t.toml:1:5: invalid number '1e'");
        assert_err("a = Inf", "t.toml:1:5: invalid value 'Inf'");
}

static void test_datetimes(void **state)
{
        _cleanup_json_ json_t *j = parse_ok("odt = 1979-05-27t07:32:00z\n"
                                            "off = 1979-05-27 00:32:00.999999-07:00\n"
                                            "ldt = 1979-05-27T07:32:00.5\n"
                                            "ld = 2024-02-29\n"
                                            "lt = 07:32:00.123456789\n"
                                            "d2 = 1979-05-27 # a date, then a comment\n");

        assert_str(j, "odt", "1979-05-27T07:32:00Z");
        assert_str(j, "off", "1979-05-27T00:32:00.999999-07:00");
        assert_str(j, "ldt", "1979-05-27T07:32:00.5");
        assert_str(j, "ld", "2024-02-29");
        assert_str(j, "lt", "07:32:00.123456789");
        assert_str(j, "d2", "1979-05-27");
        assert_err("d = 2023-02-29", "t.toml:1:5: invalid date '2023-02-29'");
        assert_err("t = 24:00:00", "t.toml:1:5: invalid time '24:00:00'");
        assert_err("t = 07:32", "t.toml:1:5: invalid time, expected HH:MM:SS");
        assert_err("d = 1979-05-27T07:32:00+7:00", "t.toml:1:24: invalid time zone offset, expected Z or +HH:MM");
}

static void test_tables(void **state)
{
        _cleanup_json_ json_t *j = parse_ok("top = 1\n"
                                            "a.b.c = 2\n"
                                            "a.b.d = 3\n"
                                            "\"quoted key\".'lit' = 4\n"
                                            "[x.y]\n"
                                            "z = 5\n"
                                            "[x]\n"
                                            "w = 6\n"
                                            "[[arr]]\n"
                                            "n = 1\n"
                                            "[arr.sub]\n"
                                            "m = 1\n"
                                            "[[arr]]\n"
                                            "n = 2\n");
        json_t *arr = json_object_get(j, "arr");
        const char *order[] = { "top", "a", "quoted key", "x", "arr" };
        const char *key;
        json_t *v;
        size_t i = 0;

        /* Keys keep document order. */
        json_object_foreach(j, key, v)
                assert_string_equal(key, order[i++]);
        assert_int(j, "a.b.c", 2);
        assert_int(j, "a.b.d", 3);
        assert_int(json_object_get(j, "quoted key"), "lit", 4);
        assert_int(j, "x.y.z", 5);
        assert_int(j, "x.w", 6);
        assert_int_equal(json_array_size(arr), 2);
        assert_int(json_array_get(arr, 0), "n", 1);
        assert_int(json_array_get(arr, 0), "sub.m", 1);
        assert_int(json_array_get(arr, 1), "n", 2);
        assert_null(json_object_get(json_array_get(arr, 1), "sub"));
}

static void test_arrays_inline(void **state)
{
        _cleanup_json_ json_t *j = parse_ok("a = [ 1, 'two', [3.0], {x = 4}, ] # mixed\n"
                                            "b = [\n  # comment\n  1,\n  2\n]\n"
                                            "c = []\n"
                                            "p = { name = \"n\", pt.x = 1, pt.y = 2 }\n"
                                            "e = {}\n");
        json_t *a = json_object_get(j, "a");

        assert_int_equal(json_array_size(a), 4);
        assert_int_equal(json_integer_value(json_array_get(a, 0)), 1);
        assert_string_equal(json_string_value(json_array_get(a, 1)), "two");
        assert_true(json_real_value(json_array_get(json_array_get(a, 2), 0)) == 3.0);
        assert_int(json_array_get(a, 3), "x", 4);
        assert_int_equal(json_array_size(json_object_get(j, "b")), 2);
        assert_int_equal(json_array_size(json_object_get(j, "c")), 0);
        assert_str(j, "p.name", "n");
        assert_int(j, "p.pt.y", 2);
        assert_int_equal(json_object_size(json_object_get(j, "e")), 0);
}

static void test_redefinition_errors(void **state)
{
        assert_err("a = 1\na = 2\n", "t.toml:2:1: duplicate key 'a'");
        assert_err("[t]\nx = 1\n[t]\n", "t.toml:3:2: cannot define table 't': it is already defined");
        assert_err("a.b = 1\n[a]\n", "t.toml:2:2: cannot define table 'a': it is already defined by dotted keys");
        assert_err("a = {b = 1}\na.c = 2\n", "t.toml:2:1: cannot add to 'a': it is an inline table");
        assert_err("a = {b = 1}\n[a.c]\n", "t.toml:2:2: cannot add to 'a': it is an inline table");
        assert_err("[a.b]\n[a]\nb.c = 1\n",
                   "t.toml:3:1: cannot use dotted keys to add to table 'a.b': it is defined by a header");
        assert_err("a = []\n[[a]]\n", "t.toml:2:3: cannot append a table to 'a': it is an array");
        assert_err("[[a]]\n[a]\n", "t.toml:2:2: cannot define table 'a': it is an array of tables");
        assert_err("a = 1\n[a.b]\n", "t.toml:2:2: cannot add to 'a': it is an integer");
        assert_err("p = {x = 1, x = 2}", "t.toml:1:13: duplicate key 'p.x'");
        assert_err("\"a b\".c = 1\n\"a b\".c = 2\n", "t.toml:2:7: duplicate key '\"a b\".c'");
        assert_err("[t.u]\n[t]\nu.v = 1\n", "t.toml:3:1: cannot use dotted keys to add to table 't.u': it is defined "
                                            "by a header");
        assert_err("[t]\nx.y = 1\nx.y = 2\n", "t.toml:3:3: duplicate key 't.x.y'");
        assert_err("[[t]]\np = [{a = {b = 1, b = 2}}]\n", "t.toml:2:19: duplicate key 't.p.a.b'");
}

static void test_syntax_errors(void **state)
{
        static const char nul_doc[] = "a = 1\nb = \"x\0\"\n", utf8_doc[] = "a = 1\n# \xc3\xa9 \xff\n";
        _cleanup_free_ char *nul = parse_err_n(nul_doc, sizeof(nul_doc) - 1);
        _cleanup_free_ char *utf8 = parse_err_n(utf8_doc, sizeof(utf8_doc) - 1);

        assert_string_equal(nul, "t.toml:2:7: control character U+0000 in string");
        assert_string_equal(utf8, "t.toml:2:5: invalid UTF-8 byte 0xff");
        assert_err("a = 1 b = 2", "t.toml:1:7: expected a newline after value, found more text");
        assert_err("a", "t.toml:1:2: unexpected end of input after key, expected '='");
        assert_err("a =\n", "t.toml:1:4: unexpected newline where a value was expected");
        assert_err("s = \"abc", "t.toml:1:5: unterminated string");
        assert_err("s = \"\"\"abc\n", "t.toml:1:5: unterminated multi-line string");
        assert_err("s = \"\\x41\"", "t.toml:1:6: invalid escape sequence '\\x'");
        assert_err("s = \"\\uD800\"", "t.toml:1:6: escape '\\uD800' is not a Unicode scalar value");
        assert_err("p = {a = 1,}", "t.toml:1:12: trailing comma in inline table");
        assert_err("p = {a = 1\n}", "t.toml:1:11: unexpected newline in inline table, expected ',' or '}'");
        assert_err("[a]]\n", "t.toml:1:4: expected a newline after table header, found more text");
        assert_err("[[a]\n", "t.toml:1:5: unexpected newline in table header, expected ']]'");
        assert_err("x = [1 2]", "t.toml:1:8: unexpected '2' in array, expected ',' or ']'");
        assert_err("\"\"\"k\"\"\" = 1", "t.toml:1:1: a multi-line string cannot be a key");
        assert_err("a = 1\r\r\n", "t.toml:1:6: expected a newline after value, found a carriage return");
        assert_err("# \x7f\n", "t.toml:1:3: control character U+007F in comment");
        /* Columns count characters, not bytes. */
        assert_err("s = \"\xc3\xa9\xc3\xa9\" x", "t.toml:1:10: expected a newline after value, found more text");
        assert_err("k = \xc3\xa9", "t.toml:1:5: unexpected character U+00E9 where a value was expected");
}

static void test_depth_limit(void **state)
{
        struct strbuf sb = STRBUF_INIT;
        cpod_error_t err = CPOD_ERROR_INIT;
        json_t *j;

        /* Arrays: the root is depth 0, so a = [[...]] may nest CPOD_TOML_MAX_DEPTH arrays. */
        strbuf_addstr(&sb, "a = ");
        strbuf_addchars(&sb, '[', CPOD_TOML_MAX_DEPTH);
        strbuf_addchars(&sb, ']', CPOD_TOML_MAX_DEPTH);
        j = cpod_toml_parse(sb.buf, sb.len, NULL, &err);
        assert_non_null(j);
        json_decref(j);
        strbuf_reset(&sb);
        strbuf_addstr(&sb, "a = ");
        strbuf_addchars(&sb, '[', CPOD_TOML_MAX_DEPTH + 1);
        strbuf_addchars(&sb, ']', CPOD_TOML_MAX_DEPTH + 1);
        assert_null(cpod_toml_parse(sb.buf, sb.len, NULL, &err));
        assert_string_equal(cpod_error_msg(&err), "<input>:1:133: nesting deeper than 128 levels");
        cpod_error_clear(&err);

        /* Inline tables and dotted keys count too; far too deep must fail cleanly, not overflow the stack. */
        strbuf_reset(&sb);
        strbuf_addstr(&sb, "a = ");
        for (int i = 0; i < 100000; i++)
                strbuf_addstr(&sb, "{b=");
        assert_null(cpod_toml_parse(sb.buf, sb.len, NULL, &err));
        assert_non_null(strstr(cpod_error_msg(&err), "nesting deeper than 128 levels"));
        cpod_error_clear(&err);
        strbuf_reset(&sb);
        strbuf_addch(&sb, '[');
        for (int i = 0; i < 100000; i++)
                strbuf_addstr(&sb, "a.");
        strbuf_addstr(&sb, "a]\n");
        assert_null(cpod_toml_parse(sb.buf, sb.len, NULL, &err));
        assert_string_equal(cpod_error_msg(&err), "<input>:1:258: key with more than 128 parts");
        cpod_error_clear(&err);
        strbuf_release(&sb);
}

static void test_large_table(void **state)
{
        struct strbuf sb = STRBUF_INIT;
        cpod_error_t err = CPOD_ERROR_INIT;
        json_t *j;

        /* Past a few keys lookups go through a hash index: duplicates must still be caught. */
        for (int i = 0; i < 1000; i++)
                strbuf_addf(&sb, "k%d = %d\n", i, i);
        for (int i = 0; i < 1000; i++)
                strbuf_addf(&sb, "[t%d]\nx.y = 1\n[[a%d]]\n", i, i % 10);
        j = cpod_toml_parse(sb.buf, sb.len, "big", &err);
        assert_non_null(j);
        assert_int_equal(json_object_size(j), 1000 + 1000 + 10);
        assert_int(j, "k777", 777);
        assert_int(j, "t999.x.y", 1);
        assert_int_equal(json_array_size(json_object_get(j, "a3")), 100);
        json_decref(j);
        strbuf_addstr(&sb, "[t500]\n");
        assert_null(cpod_toml_parse(sb.buf, sb.len, "big", &err));
        assert_string_equal(cpod_error_msg(&err), "big:4001:2: cannot define table 't500': it is already defined");
        cpod_error_clear(&err);
        strbuf_reset(&sb);
        for (int i = 0; i < 100; i++)
                strbuf_addf(&sb, "k%d = %d\n", i, i);
        strbuf_addstr(&sb, "k42 = 0\n");
        assert_null(cpod_toml_parse(sb.buf, sb.len, "big", &err));
        assert_string_equal(cpod_error_msg(&err), "big:101:1: duplicate key 'k42'");
        cpod_error_clear(&err);
        strbuf_release(&sb);
}

static void test_key_rendering(void **state)
{
        /* Keys in messages are quoted as needed and their control characters escaped. */
        assert_err("\"a\\u0001b\" = 1\n\"a\\u0001b\" = 2\n", "t.toml:2:1: duplicate key '\"a\\u0001b\"'");
        assert_err("[\"x.y\"]\n[\"x.y\"]\n", "t.toml:2:2: cannot define table '\"x.y\"': it is already defined");
        assert_err("[a]\n\"\" = 1\n'' = 1\n", "t.toml:3:1: duplicate key 'a.\"\"'");
        assert_err("\"q\\\"\\\\\\n\" = 1\n\"q\\\"\\\\\\n\" = 1\n",
                   "t.toml:2:1: duplicate key '\"q\\u0022\\u005c\\u000a\"'");
}

static void test_tagged(void **state)
{
        const char doc[] = "i = 42\nf = 0.1\ng = 1e300\nn = -nan\nb = true\nd = 1979-05-27 07:32:00Z\n"
                           "l = 07:32:00\nw = 2.0\n";
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *j = cpod_toml_parse_tagged(doc, sizeof(doc) - 1, "t", &err);
        _cleanup_free_ char *s = NULL;

        assert_non_null(j);
        s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        assert_string_equal(s, "{\"i\":{\"type\":\"integer\",\"value\":\"42\"},"
                               "\"f\":{\"type\":\"float\",\"value\":\"0.1\"},"
                               "\"g\":{\"type\":\"float\",\"value\":\"1e+300\"},"
                               "\"n\":{\"type\":\"float\",\"value\":\"nan\"},"
                               "\"b\":{\"type\":\"bool\",\"value\":\"true\"},"
                               "\"d\":{\"type\":\"datetime\",\"value\":\"1979-05-27T07:32:00Z\"},"
                               "\"l\":{\"type\":\"time-local\",\"value\":\"07:32:00\"},"
                               "\"w\":{\"type\":\"float\",\"value\":\"2.0\"}}");
}

static void test_input_edges(void **state)
{
        _cleanup_json_ json_t *bom = parse_ok("\xef\xbb\xbf"
                                              "a = 1\r\nb = 2\r\n");
        _cleanup_json_ json_t *empty = parse_ok("");
        _cleanup_json_ json_t *blank = parse_ok("  \n\t\n# only a comment");
        cpod_error_t err = CPOD_ERROR_INIT;
        json_t *j;

        assert_int(bom, "a", 1);
        assert_int(bom, "b", 2);
        assert_int_equal(json_object_size(empty), 0);
        assert_int_equal(json_object_size(blank), 0);
        /* Not NUL-terminated: only len bytes are read. */
        j = cpod_toml_parse("a = 12345", 5, "t", &err);
        assert_int(j, "a", 1);
        json_decref(j);
        j = cpod_toml_parse(NULL, 0, "t", &err);
        assert_int_equal(json_object_size(j), 0);
        json_decref(j);
}

static void test_parse_file(void **state)
{
        char path[] = "/tmp/test-toml-XXXXXX";
        cpod_error_t err = CPOD_ERROR_INIT;
        int fd = mkstemp(path);
        json_t *j;

        assert_true(fd >= 0);
        assert_int_equal(write_all(fd, "[engine]\nx = [\n1,\n", 18), 0);
        (void)close(fd);
        assert_null(cpod_toml_parse_file(path, &err));
        assert_true(strncmp(cpod_error_msg(&err), path, strlen(path)) == 0);
        assert_string_equal(cpod_error_msg(&err) + strlen(path), ":4:1: unexpected end of input where a value "
                                                                 "was expected");
        cpod_error_clear(&err);
        assert_int_equal(write_file(path, "[engine]\nx = 1\n", 15, 0600, &err), 0);
        j = cpod_toml_parse_file(path, &err);
        assert_int(j, "engine.x", 1);
        json_decref(j);
        (void)unlink(path);
        assert_null(cpod_toml_parse_file(path, &err));
        assert_int_equal(err.code, ENOENT);
        cpod_error_clear(&err);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_scalars),       cmocka_unit_test(test_strings),
                cmocka_unit_test(test_integers),      cmocka_unit_test(test_floats),
                cmocka_unit_test(test_datetimes),     cmocka_unit_test(test_tables),
                cmocka_unit_test(test_arrays_inline), cmocka_unit_test(test_redefinition_errors),
                cmocka_unit_test(test_syntax_errors), cmocka_unit_test(test_depth_limit),
                cmocka_unit_test(test_large_table),   cmocka_unit_test(test_key_rendering),
                cmocka_unit_test(test_tagged),        cmocka_unit_test(test_input_edges),
                cmocka_unit_test(test_parse_file),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
