/* SPDX-License-Identifier: Apache-2.0 */
#include "format/json-go.h"

#include <math.h>
#include <string.h>

#include "format/gofmt.h"
#include "format/utf8.h"

/* Values nested deeper than this (only hand-built ones can be) are written as null. */
#define MAX_DEPTH 4096

static void add_string(struct strbuf *out, const char *s, size_t n, unsigned flags)
{
        bool html = flags & JSON_GO_ESCAPE_HTML;

        strbuf_addch(out, '"');
        for (size_t i = 0; i < n;) {
                unsigned char c = (unsigned char)s[i];
                uint32_t cp;
                size_t w;

                if (c < 0x80) {
                        if (c == '"' || c == '\\')
                                strbuf_addch(out, '\\'), strbuf_addch(out, c);
                        else if (c == '\n')
                                strbuf_addstr(out, "\\n");
                        else if (c == '\r')
                                strbuf_addstr(out, "\\r");
                        else if (c == '\t')
                                strbuf_addstr(out, "\\t");
                        else if (c < 0x20 || (html && (c == '<' || c == '>' || c == '&')))
                                strbuf_addf(out, "\\u00%02x", c);
                        else
                                strbuf_addch(out, c);
                        i++;
                        continue;
                }
                w = utf8_decode(s + i, n - i, &cp);
                if (w == 1 && cp == UTF8_RUNE_ERROR)
                        strbuf_addstr(out, "\\ufffd");
                else if (cp == 0x2028 || cp == 0x2029)
                        strbuf_addf(out, "\\u%04x", cp);
                else
                        strbuf_add(out, s + i, w);
                i += w;
        }
        strbuf_addch(out, '"');
}

/* encoding/json's float64: shortest 'f', or 'e' below 1e-6 and from 1e21, "e-07" shortened to "e-7". */
static void add_real(struct strbuf *out, double d)
{
        double a = fabs(d);
        size_t start = out->len;

        if (!isfinite(d)) {
                strbuf_addstr(out, "null");
                return;
        }
        gofmt_float_shortest(out, d, a != 0 && (a < 1e-6 || a >= 1e21) ? 'e' : 'f');
        if (out->len - start >= 4) {
                char *e = out->buf + out->len - 4;
                if (e[0] == 'e' && e[1] == '-' && e[2] == '0') {
                        e[2] = e[3];
                        strbuf_setlen(out, out->len - 1);
                }
        }
}

static void newline(struct strbuf *out, const char *indent, int depth)
{
        strbuf_addch(out, '\n');
        for (int i = 0; i < depth; i++)
                strbuf_addstr(out, indent);
}

static void add_value(struct strbuf *out, const json_t *v, const char *indent, unsigned flags, int depth);

static void add_array(struct strbuf *out, const json_t *v, const char *indent, unsigned flags, int depth)
{
        size_t n = json_array_size(v);

        strbuf_addch(out, '[');
        for (size_t i = 0; i < n; i++) {
                if (i > 0)
                        strbuf_addch(out, ',');
                if (indent)
                        newline(out, indent, depth + 1);
                add_value(out, json_array_get(v, i), indent, flags, depth + 1);
        }
        if (indent && n > 0)
                newline(out, indent, depth);
        strbuf_addch(out, ']');
}

static void add_object(struct strbuf *out, const json_t *v, const char *indent, unsigned flags, int depth)
{
        const char *k;
        json_t *e;
        bool first = true;

        strbuf_addch(out, '{');
        json_object_foreach((json_t *)v, k, e) {
                if (!first)
                        strbuf_addch(out, ',');
                first = false;
                if (indent)
                        newline(out, indent, depth + 1);
                add_string(out, k, strlen(k), flags);
                strbuf_addstr(out, indent ? ": " : ":");
                add_value(out, e, indent, flags, depth + 1);
        }
        if (indent && !first)
                newline(out, indent, depth);
        strbuf_addch(out, '}');
}

static void add_value(struct strbuf *out, const json_t *v, const char *indent, unsigned flags, int depth)
{
        if (depth > MAX_DEPTH) {
                strbuf_addstr(out, "null");
                return;
        }
        switch (json_typeof(v)) {
        case JSON_OBJECT:
                add_object(out, v, indent, flags, depth);
                break;
        case JSON_ARRAY:
                add_array(out, v, indent, flags, depth);
                break;
        case JSON_STRING:
                add_string(out, json_string_value(v), json_string_length(v), flags);
                break;
        case JSON_INTEGER:
                strbuf_addf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
                break;
        case JSON_REAL:
                add_real(out, json_real_value(v));
                break;
        case JSON_TRUE:
                strbuf_addstr(out, "true");
                break;
        case JSON_FALSE:
                strbuf_addstr(out, "false");
                break;
        default:
                strbuf_addstr(out, "null");
        }
}

void json_go_append(struct strbuf *out, const json_t *v, const char *indent, unsigned flags)
{
        if (!v) {
                strbuf_addstr(out, "null");
                return;
        }
        add_value(out, v, indent, flags, 0);
}
