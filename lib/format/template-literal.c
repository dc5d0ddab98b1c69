/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Literal values of templates, decoded as Go's parse package does: quoted
 * and raw strings, character constants, and numbers (decimal, 0x/0o/0b and
 * leading-0 octal integers, '_' separators, floats and hex floats).  A
 * number with '.', 'e' or 'p' is a float64, any other an int; an integer
 * that does not fit 64 bits is an error, as in Go.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format/template-private.h"
#include "format/utf8.h"

static json_t *char_literal(const char *s, size_t len, char *err, size_t errsize)
{
        struct strbuf sb = STRBUF_INIT;
        json_t *v = NULL;
        uint32_t cp;

        if (lex_unquote(s, len, &sb) && sb.len > 0) {
                bool byte_escape = s[1] == '\\' && (s[2] == 'x' || (s[2] >= '0' && s[2] <= '7'));
                if (byte_escape && sb.len == 1)
                        v = json_integer((unsigned char)sb.buf[0]);
                else if (!byte_escape && utf8_decode(sb.buf, sb.len, &cp) == sb.len)
                        v = json_integer(cp);
        }
        strbuf_release(&sb);
        if (!v)
                snprintf(err, errsize, "malformed character constant: %.*s", (int)(len > 16 ? 16 : len), s);
        return v;
}

/* Digits without '_' separators; a separator must sit between digits (or after a base prefix). */
static bool strip_underscores(const char *s, size_t len, char *buf, size_t size)
{
        size_t n = 0;

        if (len >= size)
                return false;
        for (size_t i = 0; i < len; i++) {
                if (s[i] == '_') {
                        if (i == 0 || i + 1 == len || s[i + 1] == '_' || !isalnum((unsigned char)s[i - 1]) ||
                            !isalnum((unsigned char)s[i + 1]))
                                return false;
                        continue;
                }
                buf[n++] = s[i];
        }
        buf[n] = '\0';
        return true;
}

static json_t *int_literal(const char *buf, bool *overflow)
{
        const char *s = buf + (buf[0] == '+' || buf[0] == '-');
        bool neg = buf[0] == '-';
        int base = 10;
        unsigned long long u;
        char *end;

        if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
                base = 16, s += 2;
        else if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
                base = 8, s += 2;
        else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
                base = 2, s += 2;
        else if (s[0] == '0' && s[1])
                base = 8, s += 1;
        if (!*s || *s == '+' || *s == '-')
                return NULL;
        errno = 0;
        u = strtoull(s, &end, base);
        if (*end)
                return NULL;
        if (errno == ERANGE || u > (neg ? (unsigned long long)INT64_MAX + 1 : (unsigned long long)INT64_MAX)) {
                *overflow = true;
                return NULL;
        }
        return json_integer(neg ? (json_int_t)(0 - u) : (json_int_t)u);
}

static json_t *number_literal(enum tok type, const char *s, size_t len, char *err, size_t errsize)
{
        char buf[128];
        bool hex, floaty, overflow = false;
        json_t *v;

        if (type == T_CHAR)
                return char_literal(s, len, err, errsize);
        if (s[len - 1] == 'i') {
                snprintf(err, errsize, "complex numbers are not supported");
                return NULL;
        }
        if (!strip_underscores(s, len, buf, sizeof(buf)))
                goto bad;
        hex = strncasecmp(buf + (buf[0] == '+' || buf[0] == '-'), "0x", 2) == 0;
        floaty = hex ? strpbrk(buf, "pP") != NULL : strpbrk(buf, ".eE") != NULL;
        if (!floaty) {
                v = int_literal(buf, &overflow);
                if (v)
                        return v;
                if (overflow) {
                        snprintf(err, errsize, "integer overflow: \"%.32s\"", buf);
                        return NULL;
                }
        } else {
                char *end;
                double d = strtod(buf, &end);
                if (!*end && isfinite(d))
                        return json_real(d);
        }
bad:
        snprintf(err, errsize, "illegal number syntax: \"%.*s\"", (int)(len > 32 ? 32 : len), s);
        return NULL;
}

static json_t *string_literal(enum tok type, const char *s, size_t len, char *err, size_t errsize)
{
        struct strbuf sb = STRBUF_INIT;
        json_t *v = NULL;

        if (type == T_RAWSTRING) {
                for (size_t i = 1; i + 1 < len; i++)
                        if (s[i] != '\r')
                                strbuf_addch(&sb, s[i]);
                v = json_stringn_nocheck(sb.buf, sb.len);
        } else if (lex_unquote(s, len, &sb)) {
                v = json_stringn_nocheck(sb.buf, sb.len);
        } else {
                snprintf(err, errsize, "invalid syntax in quoted string");
        }
        strbuf_release(&sb);
        return v;
}

json_t *tmpl_literal(enum tok type, const char *s, size_t len, char *err, size_t errsize)
{
        if (type == T_STRING || type == T_RAWSTRING)
                return string_literal(type, s, len, err, errsize);
        return number_literal(type, s, len, err, errsize);
}
