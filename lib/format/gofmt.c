/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Go's fmt verbs over JSON values: what a JSON value prints as under each
 * verb, and the %!verb(type=value) notes Go writes for mismatches.  The
 * format string parser (flags, width, precision, argument indexes) is in
 * gofmt-printf.c, numbers in gofmt-num.c.
 */
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "format/gofmt-private.h"
#include "format/utf8.h"
#include "util/xalloc.h"

/* Nesting deeper than this (only hand-built values get there) prints "...". */
#define MAX_PRINT_DEPTH 1000

void gf_clear_flags(struct gf *g)
{
        g->minus = g->plus = g->sharp = g->space = g->zero = g->plus_v = g->sharp_v = false;
        g->wid_present = g->prec_present = false;
        g->wid = g->prec = 0;
}

void gf_write(struct gf *g, const char *s, size_t n)
{
        if (g->overflow)
                return;
        if (n > g->limit || g->out->len > g->limit - n) {
                g->overflow = true;
                return;
        }
        strbuf_add(g->out, s, n);
}

void gf_writes(struct gf *g, const char *s)
{
        gf_write(g, s, strlen(s));
}

void gf_padding(struct gf *g, long n)
{
        if (n <= 0 || g->overflow)
                return;
        if ((size_t)n > g->limit || g->out->len > g->limit - (size_t)n) {
                g->overflow = true;
                return;
        }
        strbuf_addchars(g->out, g->zero ? '0' : ' ', (size_t)n);
}

void gf_pad(struct gf *g, const char *s, size_t n)
{
        long fill;

        if (!g->wid_present || g->wid == 0) {
                gf_write(g, s, n);
                return;
        }
        fill = (long)g->wid - (long)utf8_count(s, n);
        if (g->minus) {
                gf_write(g, s, n);
                gf_padding(g, fill);
        } else {
                gf_padding(g, fill);
                gf_write(g, s, n);
        }
}

static void add_escape(struct strbuf *sb, uint32_t cp)
{
        static const char esc[] = "\aa\bb\ff\nn\rr\tt\vv";
        const char *e = cp && cp < 0x20 ? memchr(esc, (int)cp, sizeof(esc) - 1) : NULL;

        if (e && (e - esc) % 2 == 0)
                strbuf_addch(sb, '\\'), strbuf_addch(sb, e[1]);
        else if (cp < ' ' || cp == 0x7F)
                strbuf_addf(sb, "\\x%02x", cp);
        else if (cp < 0x10000)
                strbuf_addf(sb, "\\u%04x", cp);
        else
                strbuf_addf(sb, "\\U%08x", cp);
}

void gf_quote(struct strbuf *sb, const char *s, size_t n, char quote, bool ascii)
{
        strbuf_addch(sb, quote);
        for (size_t i = 0; i < n;) {
                uint32_t cp;
                size_t w = utf8_decode(s + i, n - i, &cp);

                if (w == 1 && cp == UTF8_RUNE_ERROR)
                        strbuf_addf(sb, "\\x%02x", (unsigned char)s[i]);
                else if (cp == (uint32_t)quote || cp == '\\')
                        strbuf_addch(sb, '\\'), strbuf_addch(sb, (int)cp);
                else if (ascii ? cp < 0x80 && utf8_is_print(cp) : utf8_is_print(cp))
                        strbuf_add(sb, s + i, w);
                else
                        add_escape(sb, cp);
                i += w;
        }
        strbuf_addch(sb, quote);
}

static bool can_backquote(const char *s, size_t n)
{
        for (size_t i = 0; i < n;) {
                uint32_t cp;
                size_t w = utf8_decode(s + i, n - i, &cp);

                if ((w == 1 && cp == UTF8_RUNE_ERROR) || cp == 0xFEFF || (cp < ' ' && cp != '\t') || cp == '`' ||
                    cp == 0x7F)
                        return false;
                i += w;
        }
        return true;
}

static const char *go_type(const json_t *v)
{
        switch (json_typeof(v)) {
        case JSON_STRING:
                return "string";
        case JSON_INTEGER:
                return "int";
        case JSON_REAL:
                return "float64";
        case JSON_TRUE:
        case JSON_FALSE:
                return "bool";
        case JSON_ARRAY:
                return "[]interface {}";
        case JSON_OBJECT:
                return "map[string]interface {}";
        default:
                return "<nil>";
        }
}

static void print_arg(struct gf *g, const json_t *v, uint32_t verb);
static void print_value(struct gf *g, const json_t *v, uint32_t verb, int depth);

static void add_rune(struct gf *g, uint32_t cp)
{
        struct strbuf sb = STRBUF_INIT;

        utf8_encode(&sb, cp);
        gf_write(g, sb.buf, sb.len);
        strbuf_release(&sb);
}

static void bad_verb(struct gf *g, const json_t *v, uint32_t verb)
{
        gf_writes(g, "%!");
        add_rune(g, verb);
        gf_writes(g, "(");
        if (!v || json_is_null(v)) {
                gf_writes(g, "<nil>");
        } else {
                gf_writes(g, go_type(v));
                gf_writes(g, "=");
                print_arg(g, v, 'v');
        }
        gf_writes(g, ")");
}

/* Go's fmtS: at most prec runes, padded. */
static void fmt_s(struct gf *g, const char *s, size_t n)
{
        if (g->prec_present)
                n = utf8_prefix(s, n, (size_t)g->prec);
        gf_pad(g, s, n);
}

static void fmt_q(struct gf *g, const char *s, size_t n)
{
        struct strbuf sb = STRBUF_INIT;

        if (g->prec_present)
                n = utf8_prefix(s, n, (size_t)g->prec);
        if (g->sharp && can_backquote(s, n)) {
                strbuf_addch(&sb, '`');
                strbuf_add(&sb, s, n);
                strbuf_addch(&sb, '`');
        } else {
                gf_quote(&sb, s, n, '"', g->plus);
        }
        gf_pad(g, sb.buf, sb.len);
        strbuf_release(&sb);
}

/* Go's fmtSbx: bytes in hex, "% x" spaces them, "%#x" adds 0x. */
static void fmt_sx(struct gf *g, const char *s, size_t n, bool upper)
{
        const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
        char x[3] = { '0', upper ? 'X' : 'x', 0 };
        long width;

        if (g->prec_present && (size_t)g->prec < n)
                n = (size_t)g->prec;
        if (n == 0) {
                gf_padding(g, g->wid_present ? g->wid : 0);
                return;
        }
        width = 2 * (long)n;
        if (g->space)
                width = (g->sharp ? 2 * width : width) + (long)n - 1;
        else if (g->sharp)
                width += 2;
        if (g->wid_present && g->wid > width && !g->minus)
                gf_padding(g, g->wid - width);
        if (g->sharp)
                gf_write(g, x, 2);
        for (size_t i = 0; i < n && !g->overflow; i++) {
                char hx[2] = { digits[(unsigned char)s[i] >> 4], digits[(unsigned char)s[i] & 0xF] };
                if (g->space && i > 0) {
                        gf_write(g, " ", 1);
                        if (g->sharp)
                                gf_write(g, x, 2);
                }
                gf_write(g, hx, 2);
        }
        if (g->wid_present && g->wid > width && g->minus)
                gf_padding(g, g->wid - width);
}

static void fmt_string(struct gf *g, const json_t *v, uint32_t verb)
{
        const char *s = json_string_value(v);
        size_t n = json_string_length(v);

        if (verb == 'v')
                g->sharp_v ? fmt_q(g, s, n) : fmt_s(g, s, n);
        else if (verb == 's')
                fmt_s(g, s, n);
        else if (verb == 'q')
                fmt_q(g, s, n);
        else if (verb == 'x' || verb == 'X')
                fmt_sx(g, s, n, verb == 'X');
        else
                bad_verb(g, v, verb);
}

/* %c, %q and %U of an integer. */
static void fmt_rune(struct gf *g, uint64_t u, uint32_t verb)
{
        uint32_t cp = u > 0x10FFFF ? UTF8_RUNE_ERROR : (uint32_t)u;
        struct strbuf sb = STRBUF_INIT, r = STRBUF_INIT;
        bool old_zero = g->zero;

        if (cp >= 0xD800 && cp <= 0xDFFF)
                cp = UTF8_RUNE_ERROR;
        utf8_encode(&r, cp);
        if (verb == 'c') {
                strbuf_add(&sb, r.buf, r.len);
        } else if (verb == 'q') {
                gf_quote(&sb, r.buf, r.len, '\'', g->plus);
        } else {
                int prec = g->prec_present && g->prec > 4 ? g->prec : 4;
                strbuf_addf(&sb, "U+%0*llX", prec, (unsigned long long)u);
                if (g->sharp && u <= 0x10FFFF && utf8_is_print((uint32_t)u))
                        strbuf_addf(&sb, " '%s'", r.buf);
                g->zero = false;
        }
        gf_pad(g, sb.buf, sb.len);
        g->zero = old_zero;
        strbuf_release(&sb);
        strbuf_release(&r);
}

static void fmt_int(struct gf *g, const json_t *v, uint32_t verb)
{
        json_int_t i = json_integer_value(v);
        bool neg = i < 0;
        uint64_t u = neg ? -(uint64_t)i : (uint64_t)i;

        switch (verb) {
        case 'v':
        case 'd':
                gf_integer(g, u, neg, 10, false, verb);
                break;
        case 'b':
                gf_integer(g, u, neg, 2, false, verb);
                break;
        case 'o':
        case 'O':
                gf_integer(g, u, neg, 8, false, verb);
                break;
        case 'x':
        case 'X':
                gf_integer(g, u, neg, 16, verb == 'X', verb);
                break;
        case 'c':
        case 'q':
        case 'U':
                fmt_rune(g, (uint64_t)i, verb);
                break;
        default:
                bad_verb(g, v, verb);
        }
}

static void fmt_real(struct gf *g, const json_t *v, uint32_t verb)
{
        double d = json_real_value(v);

        if (verb == 'v')
                gf_float(g, d, 'g', -1);
        else if (verb && verb < 0x80 && strchr("bgGxX", (int)verb))
                gf_float(g, d, verb, -1);
        else if (verb && verb < 0x80 && strchr("efEF", (int)verb))
                gf_float(g, d, verb, 6);
        else
                bad_verb(g, v, verb);
}

static int cmp_keys(const void *a, const void *b)
{
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void print_object(struct gf *g, const json_t *v, uint32_t verb, int depth)
{
        size_t n = json_object_size(v), i = 0;
        _cleanup_free_ const char **keys = xnew0(const char *, n + 1);
        const char *k;
        json_t *e;

        json_object_foreach((json_t *)v, k, e)
                keys[i++] = k;
        qsort(keys, n, sizeof(*keys), cmp_keys);
        gf_writes(g, g->sharp_v ? "map[string]interface {}{" : "map[");
        for (i = 0; i < n && !g->overflow; i++) {
                json_t *key = json_string_nocheck(keys[i]);

                if (i > 0)
                        gf_writes(g, g->sharp_v ? ", " : " ");
                print_value(g, key, verb, depth + 1);
                gf_writes(g, ":");
                print_value(g, json_object_get(v, keys[i]), verb, depth + 1);
                json_decref(key);
        }
        gf_writes(g, g->sharp_v ? "}" : "]");
}

static void print_array(struct gf *g, const json_t *v, uint32_t verb, int depth)
{
        size_t n = json_array_size(v);

        gf_writes(g, g->sharp_v ? "[]interface {}{" : "[");
        for (size_t i = 0; i < n && !g->overflow; i++) {
                if (i > 0)
                        gf_writes(g, g->sharp_v ? ", " : " ");
                print_value(g, json_array_get(v, i), verb, depth + 1);
        }
        gf_writes(g, g->sharp_v ? "}" : "]");
}

static void print_value(struct gf *g, const json_t *v, uint32_t verb, int depth)
{
        if (depth > MAX_PRINT_DEPTH) {
                gf_writes(g, "...");
                return;
        }
        switch (json_typeof(v)) {
        case JSON_NULL:
                gf_writes(g, g->sharp_v ? "interface {}(nil)" : "<nil>");
                break;
        case JSON_TRUE:
        case JSON_FALSE:
                if (verb == 't' || verb == 'v')
                        gf_pad(g, json_is_true(v) ? "true" : "false", json_is_true(v) ? 4 : 5);
                else
                        bad_verb(g, v, verb);
                break;
        case JSON_INTEGER:
                fmt_int(g, v, verb);
                break;
        case JSON_REAL:
                fmt_real(g, v, verb);
                break;
        case JSON_STRING:
                fmt_string(g, v, verb);
                break;
        case JSON_ARRAY:
                print_array(g, v, verb, depth);
                break;
        case JSON_OBJECT:
                print_object(g, v, verb, depth);
                break;
        }
}

static void print_arg(struct gf *g, const json_t *v, uint32_t verb)
{
        if (!v || json_is_null(v)) {
                if (verb == 'T' || verb == 'v')
                        gf_pad(g, "<nil>", 5);
                else
                        bad_verb(g, v, verb);
        } else if (verb == 'T') {
                fmt_s(g, go_type(v), strlen(go_type(v)));
        } else if (verb == 'p') {
                bad_verb(g, v, verb);
        } else {
                print_value(g, v, verb, 0);
        }
}

void gf_print_arg(struct gf *g, const json_t *v, uint32_t verb)
{
        print_arg(g, v, verb);
}

const char *gofmt_type_name(const json_t *v)
{
        return go_type(v);
}

int gofmt_value(struct strbuf *out, const json_t *v, size_t limit)
{
        struct gf g = { .out = out, .limit = limit };

        print_arg(&g, v, 'v');
        return g.overflow ? -1 : 0;
}

int gofmt_sprint(struct strbuf *out, json_t *const *args, size_t n, bool ln, size_t limit)
{
        struct gf g = { .out = out, .limit = limit };
        bool prev_string = false;

        for (size_t i = 0; i < n && !g.overflow; i++) {
                bool is_string = json_is_string(args[i]);

                if (i > 0 && (ln || (!is_string && !prev_string)))
                        gf_writes(&g, " ");
                gf_clear_flags(&g);
                print_arg(&g, args[i], 'v');
                prev_string = is_string;
        }
        if (ln)
                gf_writes(&g, "\n");
        return g.overflow ? -1 : 0;
}
