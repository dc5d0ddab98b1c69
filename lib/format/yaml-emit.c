/* SPDX-License-Identifier: Apache-2.0 */
#include "format/yaml-emit.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool looks_like_number(const char *s)
{
        char *end;

        if (!*s)
                return false;
        (void)strtod(s, &end);
        return *end == '\0';
}

static bool reserved_word(const char *s)
{
        static const char *const words[] = { "true",  "false", "yes",   "no",  "on", "off", "null", "~",    "y",
                                             "n",     "True",  "False", "Yes", "No", "On",  "Off",  "Null", "TRUE",
                                             "FALSE", "NULL",  "YES",   "NO",  "ON", "OFF", "Y",    "N" };

        for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
                if (strcmp(s, words[i]) == 0)
                        return true;
        return false;
}

/* YAML 1.1 would read "2006-01-02..." as a timestamp: Go's marshaller quotes such strings, so does this. */
static bool looks_like_timestamp(const char *s)
{
        for (int i = 0; i < 10; i++)
                if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
                        return false;
        return true;
}

/* Can s be written as a plain scalar without changing its meaning? */
static bool plain_ok(const char *s)
{
        size_t n = strlen(s);

        if (n == 0 || reserved_word(s) || looks_like_number(s) || looks_like_timestamp(s))
                return false;
        if (strchr("-?:,[]{}#&*!|>'\"%@` ", s[0]) || isspace((unsigned char)s[n - 1]))
                return false;
        if (strstr(s, ": ") || strstr(s, " #") || s[n - 1] == ':')
                return false;
        for (const char *p = s; *p; p++)
                if ((unsigned char)*p < 0x20)
                        return false;
        return true;
}

static void indent(struct strbuf *out, int n)
{
        strbuf_addchars(out, ' ', (size_t)n);
}

static void emit_string(const char *s, int ind, struct strbuf *out)
{
        if (strchr(s, '\n') && !strchr(s, '\r')) {
                size_t n = strlen(s);
                strbuf_addstr(out, n && s[n - 1] == '\n' ? "|\n" : "|-\n");
                while (*s) {
                        size_t l = strcspn(s, "\n");
                        if (l)
                                indent(out, ind + 2);
                        strbuf_add(out, s, l);
                        strbuf_addch(out, '\n');
                        s += l + (s[l] ? 1 : 0);
                }
                return;
        }
        if (plain_ok(s)) {
                strbuf_addstr(out, s);
        } else if (!strpbrk(s, "\r\t") && (looks_like_number(s) || reserved_word(s) || looks_like_timestamp(s))) {
                strbuf_addf(out, "\"%s\"", s);
        } else {
                strbuf_addch(out, '\'');
                for (; *s; s++) {
                        if (*s == '\'')
                                strbuf_addch(out, '\'');
                        strbuf_addch(out, *s);
                }
                strbuf_addch(out, '\'');
        }
        strbuf_addch(out, '\n');
}

static void emit_value(const json_t *j, int ind, struct strbuf *out);

static bool is_block(const json_t *j)
{
        return (json_is_object(j) && json_object_size(j)) || (json_is_array(j) && json_array_size(j));
}

static void emit_scalar(const json_t *j, int ind, struct strbuf *out)
{
        switch (json_typeof(j)) {
        case JSON_STRING:
                emit_string(json_string_value(j), ind, out);
                return;
        case JSON_INTEGER:
                strbuf_addf(out, "%" JSON_INTEGER_FORMAT "\n", json_integer_value(j));
                return;
        case JSON_REAL:
                strbuf_addf(out, "%.17g\n", json_real_value(j));
                return;
        case JSON_TRUE:
                strbuf_addstr(out, "true\n");
                return;
        case JSON_FALSE:
                strbuf_addstr(out, "false\n");
                return;
        case JSON_OBJECT:
                strbuf_addstr(out, "{}\n");
                return;
        case JSON_ARRAY:
                strbuf_addstr(out, "[]\n");
                return;
        default:
                strbuf_addstr(out, "null\n");
        }
}

static void emit_value(const json_t *j, int ind, struct strbuf *out)
{
        const char *key;
        json_t *v;
        size_t i;

        if (json_is_object(j) && json_object_size(j)) {
                json_object_foreach((json_t *)j, key, v) {
                        indent(out, ind);
                        if (plain_ok(key))
                                strbuf_addf(out, "%s:", key);
                        else
                                strbuf_addf(out, "\"%s\":", key);
                        if (is_block(v)) {
                                strbuf_addch(out, '\n');
                                emit_value(v, json_is_array(v) ? ind : ind + 2, out);
                        } else {
                                strbuf_addch(out, ' ');
                                emit_scalar(v, ind, out);
                        }
                }
        } else if (json_is_array(j) && json_array_size(j)) {
                json_array_foreach(j, i, v) {
                        indent(out, ind);
                        strbuf_addstr(out, "- ");
                        if (is_block(v)) {
                                /* First line of the nested block goes after "- ". */
                                struct strbuf sub = STRBUF_INIT;
                                emit_value(v, ind + 2, &sub);
                                strbuf_addstr(out, sub.buf + ind + 2);
                                strbuf_release(&sub);
                        } else {
                                emit_scalar(v, ind + 2, out);
                        }
                }
        } else {
                emit_scalar(j, ind, out);
        }
}

void yaml_emit(const json_t *j, struct strbuf *out)
{
        emit_value(j, 0, out);
}
