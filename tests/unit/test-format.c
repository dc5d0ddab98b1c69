/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for cli/format: podman's --format rules over JSON rows.
 * Expected tables and JSON were compared with podman 4.3.1's output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/format.h"

static const struct fmt_header headers[] = {
        { "ID", "CONTAINER ID" },
        { "Names", "NAMES" },
        { "Ports", NULL },
        { NULL, NULL },
};

static const char rows_text[] =
        "[{\"ID\":\"4544e9e91fbc\",\"Names\":\"web\",\"CreatedAt\":\"2 hours ago\",\"Size\":10},"
        "{\"ID\":\"1eb6fab5aa8f\",\"Names\":\"database-1\",\"CreatedAt\":\"now\",\"Size\":2}]";

/* Run cli_print_list (inspect when list is false); returns what was printed, NULL on error. */
static char *render(bool list, const char *format, const char *default_fmt, const char *rows_json, char **ret_err)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        json_t *rows = json_loads(rows_json ? rows_json : rows_text, 0, NULL);
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        int r;

        assert_non_null(rows);
        r = list ? cli_print_list(f, format, default_fmt, headers, rows, rows, &err)
                 : cli_print_inspect(f, format, rows, &err);
        fclose(f);
        json_decref(rows);
        if (ret_err)
                *ret_err = err.msg ? strdup(err.msg) : NULL;
        cpod_error_clear(&err);
        if (r < 0) {
                assert_int_equal(len, 0); /* nothing printed on error */
                free(buf);
                return NULL;
        }
        return buf;
}

static void check_list(const char *format, const char *default_fmt, const char *rows, const char *want)
{
        char *err = NULL;
        char *out = render(true, format, default_fmt, rows, &err);

        if (!out)
                fail_msg("format %s failed: %s", format ? format : "(null)", err ? err : "?");
        if (strcmp(out, want) != 0)
                fail_msg("format %s:\ngot:\n%s\nwant:\n%s", format ? format : "(null)", out, want);
        free(out);
        free(err);
}

static const char def[] = "table {{.ID}}\t{{.Names}}\t{{.CreatedAt}}";

static void test_table(void **state)
{
        (void)state;
        check_list(NULL, def, NULL,
                   "CONTAINER ID  NAMES       CREATED AT\n"
                   "4544e9e91fbc  web         2 hours ago\n"
                   "1eb6fab5aa8f  database-1  now\n");
        check_list("", def, NULL,
                   "CONTAINER ID  NAMES       CREATED AT\n"
                   "4544e9e91fbc  web         2 hours ago\n"
                   "1eb6fab5aa8f  database-1  now\n");
        check_list("table", "{{.ID}}\\t{{.Size}}", NULL, "CONTAINER ID  SIZE\n4544e9e91fbc  10\n1eb6fab5aa8f  2\n");
        /* as podman: spaces in a table format are column breaks, "\t" too */
        check_list("table {{.Names}} {{.Size}}", def, NULL, "NAMES       SIZE\nweb         10\ndatabase-1  2\n");
        /* a header from the table (NULL: derived from the field name) even without rows */
        check_list("table {{.Names}}\\t{{.Ports}}", def, "[]", "NAMES       PORTS\n");
        /* a header for a field nobody knows is <no value>; an empty list still has its header */
        check_list("table {{.Names}} {{.Size}}", def, "[]", "NAMES       <no value>\n");
        check_list(NULL, def, "[]", "CONTAINER ID  NAMES       <no value>\n");
        check_list("table {{.ID}}\\n", def, "[{\"ID\":\"x\"}]", "CONTAINER ID\nx\n");
}

static void test_templates(void **state)
{
        char *err = NULL, *out;

        (void)state;
        check_list("{{.ID}}", def, NULL, "4544e9e91fbc\n1eb6fab5aa8f\n");
        /* not a table: tabs stay tabs, nothing is aligned */
        check_list("{{.Names}}\\t{{.Size}}", def, NULL, "web\t10\ndatabase-1\t2\n");
        check_list("{{.Names}} {{.Size}}\\n", def, NULL, "web 10\ndatabase-1 2\n");
        check_list("{{.Names}}\\n\\n", def, NULL, "web\n\ndatabase-1\n\n");
        check_list("x\\\\ty", def, "[{}]", "x\\\ty\n");
        check_list("{{range .}}{{.Names}},{{end}}", def, NULL, "web,database-1,\n");
        /* as podman: the trim marker eats the newline added after the format */
        check_list("{{ range . }}{{.Size}}{{ end -}}", def, NULL, "102");
        check_list("{{.ID}}", def, "[]", "");
        out = render(true, "{{.Nope}}", def, NULL, &err);
        assert_null(out);
        assert_string_equal(err, "template: 1:3: executing at <.Nope>: can't evaluate field Nope");
        free(err);
        out = render(true, "table {{.ID", def, NULL, &err);
        assert_null(out);
        assert_non_null(strstr(err, "unclosed action"));
        free(err);
}

static void test_json(void **state)
{
        (void)state;
        check_list("json", def, "[{\"Id\":\"x\",\"A\":[],\"B\":{},\"C\":[1],\"H\":\"<b>\",\"R\":0.5}]",
                   "[\n    {\n        \"Id\": \"x\",\n        \"A\": [],\n        \"B\": {},\n        \"C\": [\n"
                   "            1\n        ],\n        \"H\": \"\\u003cb\\u003e\",\n        \"R\": 0.5\n    }\n]\n");
        check_list("json", def, "[]", "[]\n");
        check_list(" {{ json . }} ", def, "[{}]", "[\n    {}\n]\n");
        assert_true(fmt_is_json("json"));
        assert_true(fmt_is_json("{{json .}}"));
        assert_true(fmt_is_json("{{ json }}"));
        assert_false(fmt_is_json("{{json .ID}}"));
        assert_false(fmt_is_json("jsonx"));
        assert_false(fmt_is_json("table json"));
}

static void test_inspect(void **state)
{
        char *out;

        (void)state;
        out = render(false, NULL, NULL, "[{\"Id\":\"x\",\"H\":\"<b>\",\"E\":[]}]", NULL);
        assert_string_equal(out,
                            "[\n    {\n        \"Id\": \"x\",\n        \"H\": \"<b>\",\n        \"E\": []\n    }\n]\n");
        free(out);
        out = render(false, "json", NULL, "[]", NULL);
        assert_string_equal(out, "[]\n");
        free(out);
        out = render(false, "{{.Id}}", NULL, "[{\"Id\":\"x\"},{\"Id\":\"y\"}]", NULL);
        assert_string_equal(out, "x\ny\n");
        free(out);
        out = render(false, "{{.Id}}\\t{{json .E}}", NULL, "[{\"Id\":\"x\",\"E\":null}]", NULL);
        assert_string_equal(out, "x\tnull\n");
        free(out);
}

static void test_headers(void **state)
{
        static const char *const cases[][2] = {
                { "CreatedAt", "CREATED AT" },
                { "ID", "ID" },
                { "HTTPServer", "HTTP SERVER" },
                { "PodID", "POD ID" },
                { "RepoTags", "REPO TAGS" },
                { "Mem2Usage", "MEM 2 USAGE" },
                { "Fieldb", "FIELDB" },
                { "fieldC", "FIELD C" },
                { "lowercase", "LOWERCASE" },
                { "PIDs", "PI DS" },
                { "", "" },
                { "Größe", "GRÖßE" },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char *h = fmt_header_from_field(cases[i][0]);
                if (strcmp(h, cases[i][1]) != 0)
                        fail_msg("header of %s: got \"%s\", want \"%s\"", cases[i][0], h, cases[i][1]);
                free(h);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_table),   cmocka_unit_test(test_templates), cmocka_unit_test(test_json),
                cmocka_unit_test(test_inspect), cmocka_unit_test(test_headers),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
