/* SPDX-License-Identifier: Apache-2.0 */
/*
 * TOML lexical level: error positions, UTF-8, whitespace, comments and
 * strings.  Numbers and dates are in toml-scalar.c, the document structure
 * in toml.c.
 *
 * Every read goes through toml_peek(), which is bounds-checked: the input is
 * a length-delimited buffer that need not end in NUL and may contain NUL.
 */
#include "util/toml-private.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>

int toml_fail(struct toml_parser *p, size_t at, const char *fmt, ...)
{
        struct strbuf sb = STRBUF_INIT;
        size_t line = 1, col = 1;
        va_list ap;
        int r;

        if (at > p->len)
                at = p->len;
        /* Computed only here, so the hot paths need not track lines. */
        for (size_t i = 0; i < at; i++) {
                unsigned char c = (unsigned char)p->buf[i];

                if (c == '\n') {
                        line++;
                        col = 1;
                } else if ((c & 0xc0) != 0x80) {
                        col++; /* count characters, not UTF-8 continuation bytes */
                }
        }
        va_start(ap, fmt);
        strbuf_addvf(&sb, fmt, ap);
        va_end(ap);
        r = cpod_error_set(p->err, EINVAL, CPOD_E_INVALID, "%s:%zu:%zu: %s", p->filename, line, col, sb.buf);
        strbuf_release(&sb);
        return r;
}

/* Decode the character at byte offset at (< len); the input is already validated UTF-8. */
static uint32_t char_at(const struct toml_parser *p, size_t at)
{
        const unsigned char *s = (const unsigned char *)p->buf + at;
        size_t k = s[0] < 0x80 ? 0 : s[0] < 0xe0 ? 1 : s[0] < 0xf0 ? 2 : 3;
        uint32_t cp = k == 0 ? s[0] : s[0] & (0x3f >> k);

        if (k >= p->len - at)
                return s[0];
        for (size_t i = 1; i <= k; i++)
                cp = cp << 6 | (s[i] & 0x3f);
        return cp;
}

int toml_fail_unexpected(struct toml_parser *p, size_t at, const char *context)
{
        uint32_t c;

        if (at >= p->len)
                return toml_fail(p, at, "unexpected end of input %s", context);
        c = char_at(p, at);
        if (c == '\n' || (c == '\r' && at + 1 < p->len && p->buf[at + 1] == '\n'))
                return toml_fail(p, at, "unexpected newline %s", context);
        if (c >= 0x20 && c < 0x7f)
                return toml_fail(p, at, "unexpected '%c' %s", (int)c, context);
        return toml_fail(p, at, "unexpected character U+%04X %s", (unsigned)c, context);
}

int toml_check_utf8(struct toml_parser *p)
{
        const unsigned char *s = (const unsigned char *)p->buf;
        size_t i = 0;

        while (i < p->len) {
                uint32_t cp, min;
                size_t k;

                if (s[i] < 0x80) {
                        i++;
                        continue;
                }
                if (s[i] >= 0xc2 && s[i] <= 0xdf) {
                        k = 1, cp = s[i] & 0x1f, min = 0x80;
                } else if (s[i] >= 0xe0 && s[i] <= 0xef) {
                        k = 2, cp = s[i] & 0x0f, min = 0x800;
                } else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
                        k = 3, cp = s[i] & 0x07, min = 0x10000;
                } else {
                        return toml_fail(p, i, "invalid UTF-8 byte 0x%02x", s[i]);
                }
                if (p->len - i <= k)
                        return toml_fail(p, i, "truncated UTF-8 sequence");
                for (size_t j = 1; j <= k; j++) {
                        if ((s[i + j] & 0xc0) != 0x80)
                                return toml_fail(p, i, "invalid UTF-8 sequence");
                        cp = cp << 6 | (s[i + j] & 0x3f);
                }
                if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
                        return toml_fail(p, i, "invalid UTF-8 sequence");
                i += k + 1;
        }
        return 0;
}

void toml_skip_ws(struct toml_parser *p)
{
        while (toml_peek(p, 0) == ' ' || toml_peek(p, 0) == '\t')
                p->pos++;
}

bool toml_newline(struct toml_parser *p)
{
        if (toml_peek(p, 0) == '\n') {
                p->pos++;
                return true;
        }
        if (toml_peek(p, 0) == '\r' && toml_peek(p, 1) == '\n') {
                p->pos += 2;
                return true;
        }
        return false;
}

/* Control characters other than tab are allowed nowhere but as newlines. */
static bool is_control(int c)
{
        return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7f;
}

static int fail_control(struct toml_parser *p, const char *where)
{
        int c = toml_peek(p, 0);

        if (c == '\r')
                return toml_fail(p, p->pos, "carriage return not followed by a newline %s", where);
        return toml_fail(p, p->pos, "control character U+%04X %s", (unsigned)c, where);
}

int toml_skip_comment(struct toml_parser *p)
{
        p->pos++; /* '#' */
        for (;;) {
                int c = toml_peek(p, 0);

                if (c < 0 || c == '\n' || (c == '\r' && toml_peek(p, 1) == '\n'))
                        return 0;
                if (is_control(c))
                        return fail_control(p, "in comment");
                p->pos++;
        }
}

int toml_skip_wscn(struct toml_parser *p)
{
        for (;;) {
                toml_skip_ws(p);
                if (toml_peek(p, 0) == '#') {
                        int r = toml_skip_comment(p);
                        if (r < 0)
                                return r;
                } else if (!toml_newline(p)) {
                        return 0;
                }
        }
}

int toml_expect_eol(struct toml_parser *p, const char *after)
{
        toml_skip_ws(p);
        if (toml_peek(p, 0) == '#') {
                int r = toml_skip_comment(p);
                if (r < 0)
                        return r;
        }
        if (toml_eof(p) || toml_newline(p))
                return 0;
        return toml_fail(p, p->pos, "expected a newline %s, found %s", after,
                         toml_peek(p, 0) == '\r' ? "a carriage return" : "more text");
}

static void add_utf8(struct strbuf *sb, uint32_t cp)
{
        if (cp < 0x80) {
                strbuf_addch(sb, (int)cp);
        } else if (cp < 0x800) {
                strbuf_addch(sb, (int)(0xc0 | cp >> 6));
                strbuf_addch(sb, (int)(0x80 | (cp & 0x3f)));
        } else if (cp < 0x10000) {
                strbuf_addch(sb, (int)(0xe0 | cp >> 12));
                strbuf_addch(sb, (int)(0x80 | (cp >> 6 & 0x3f)));
                strbuf_addch(sb, (int)(0x80 | (cp & 0x3f)));
        } else {
                strbuf_addch(sb, (int)(0xf0 | cp >> 18));
                strbuf_addch(sb, (int)(0x80 | (cp >> 12 & 0x3f)));
                strbuf_addch(sb, (int)(0x80 | (cp >> 6 & 0x3f)));
                strbuf_addch(sb, (int)(0x80 | (cp & 0x3f)));
        }
}

static int hex_value(int c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

/* \uXXXX or \UXXXXXXXX; pos is past the 'u'/'U', at is the backslash. */
static int parse_unicode_escape(struct toml_parser *p, size_t at, int ndigits, struct strbuf *out)
{
        uint32_t cp = 0;

        for (int i = 0; i < ndigits; i++) {
                int v = hex_value(toml_peek(p, 0));

                if (v < 0)
                        return toml_fail(p, at, "escape '\\%c' needs %d hex digits", ndigits == 4 ? 'u' : 'U', ndigits);
                cp = cp << 4 | (uint32_t)v;
                p->pos++;
        }
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
                return toml_fail(p, at, "escape '%.*s' is not a Unicode scalar value", ndigits + 2, p->buf + at);
        add_utf8(out, cp);
        return 0;
}

/* At a backslash in a basic string. */
static int parse_escape(struct toml_parser *p, struct strbuf *out)
{
        static const char from[] = "btnfr\"\\", to[] = "\b\t\n\f\r\"\\";
        size_t at = p->pos;
        int c = toml_peek(p, 1);

        if (c == 'u' || c == 'U') {
                p->pos += 2;
                return parse_unicode_escape(p, at, c == 'u' ? 4 : 8, out);
        }
        for (size_t i = 0; c > 0 && from[i]; i++) {
                if (from[i] == c) {
                        strbuf_addch(out, to[i]);
                        p->pos += 2;
                        return 0;
                }
        }
        if (c >= 0x21 && c < 0x7f)
                return toml_fail(p, at, "invalid escape sequence '\\%c'", c);
        return toml_fail(p, at, "invalid escape sequence");
}

static int parse_line_string(struct toml_parser *p, bool basic, struct strbuf *out)
{
        int quote = basic ? '"' : '\'';
        size_t start = p->pos++;

        for (;;) {
                int c = toml_peek(p, 0);

                if (c < 0 || c == '\n' || (c == '\r' && toml_peek(p, 1) == '\n'))
                        return toml_fail(p, start, "unterminated string");
                if (c == quote) {
                        p->pos++;
                        return 0;
                }
                if (basic && c == '\\') {
                        int r = parse_escape(p, out);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (is_control(c))
                        return fail_control(p, "in string");
                strbuf_addch(out, c);
                p->pos++;
        }
}

/*
 * At a quote inside a multi-line string: up to two quotes are content, three
 * close the string, and the one or two before a closing triple are content
 * too ("""a""""" is 'a""').  Returns 1 when the string is closed.
 */
static int ml_quotes(struct toml_parser *p, int quote, struct strbuf *out)
{
        size_t n = 0;

        while (toml_peek(p, n) == quote)
                n++;
        if (n > 5)
                return toml_fail(p, p->pos, "too many quotes in multi-line string");
        strbuf_addchars(out, quote, n < 3 ? n : n - 3);
        p->pos += n;
        return n >= 3;
}

/* A backslash, optional whitespace, a newline: skip all whitespace and newlines after it. */
static int ml_line_ending_backslash(struct toml_parser *p)
{
        size_t at = p->pos++;

        toml_skip_ws(p);
        if (!toml_newline(p))
                return toml_fail(p, at, "invalid escape sequence: only a newline may follow '\\' and whitespace");
        for (;;) {
                toml_skip_ws(p);
                if (!toml_newline(p))
                        return 0;
        }
}

static int parse_ml_string(struct toml_parser *p, bool basic, struct strbuf *out)
{
        int quote = basic ? '"' : '\'';
        size_t start = p->pos;

        p->pos += 3;
        (void)toml_newline(p); /* a newline right after the opening delimiter is trimmed */
        for (;;) {
                int c = toml_peek(p, 0), r = 0;

                if (c < 0)
                        return toml_fail(p, start, "unterminated multi-line string");
                if (c == quote) {
                        r = ml_quotes(p, quote, out);
                        if (r != 0)
                                return r < 0 ? r : 0;
                } else if (toml_newline(p)) {
                        strbuf_addch(out, '\n'); /* CRLF is normalised to LF */
                } else if (basic && c == '\\') {
                        int n = toml_peek(p, 1);
                        if (n == ' ' || n == '\t' || n == '\n' || n == '\r')
                                r = ml_line_ending_backslash(p);
                        else
                                r = parse_escape(p, out);
                        if (r < 0)
                                return r;
                } else if (is_control(c)) {
                        return fail_control(p, "in string");
                } else {
                        strbuf_addch(out, c);
                        p->pos++;
                }
        }
}

int toml_parse_string(struct toml_parser *p, bool allow_multiline, struct strbuf *out)
{
        int quote = toml_peek(p, 0);
        bool multiline = toml_peek(p, 1) == quote && toml_peek(p, 2) == quote;

        strbuf_reset(out);
        if (!multiline)
                return parse_line_string(p, quote == '"', out);
        if (!allow_multiline)
                return toml_fail(p, p->pos, "a multi-line string cannot be a key");
        return parse_ml_string(p, quote == '"', out);
}
