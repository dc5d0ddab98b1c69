/* SPDX-License-Identifier: Apache-2.0 */
/*
 * TOML scalars other than strings: booleans, integers, floats, offset and
 * local date-times, local dates and local times.  Each is validated against
 * the TOML 1.0 grammar in full before it is converted, so strtod_l() only
 * ever sees a well-formed decimal number.
 */
#include "util/toml-private.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"

static bool is_digit(int c)
{
        return c >= '0' && c <= '9';
}

static int digit_value(int c, int base)
{
        int v = -1;

        if (c >= '0' && c <= '9')
                v = c - '0';
        else if (c >= 'a' && c <= 'f')
                v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
                v = c - 'A' + 10;
        return v < base ? v : -1;
}

/* Characters a number token can contain; the token ends at the first other one. */
static bool is_number_char(int c)
{
        return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.' || c == '+' ||
               c == '-';
}

/* Digits of base with single underscores between them; advance *i past them. */
static bool scan_digits(const char *tok, size_t len, size_t *i, int base)
{
        if (*i >= len || digit_value(tok[*i], base) < 0)
                return false;
        (*i)++;
        while (*i < len) {
                if (tok[*i] == '_') {
                        if (*i + 1 >= len || digit_value(tok[*i + 1], base) < 0)
                                return false;
                        (*i)++;
                } else if (digit_value(tok[*i], base) < 0) {
                        return true;
                }
                (*i)++;
        }
        return true;
}

/* Accumulate the digits of tok (underscores skipped) into a magnitude no larger than limit. */
static bool accumulate(const char *tok, size_t len, int base, uint64_t limit, uint64_t *ret)
{
        uint64_t mag = 0;

        for (size_t i = 0; i < len; i++) {
                int d = digit_value(tok[i], base);

                if (d < 0)
                        continue; /* '_' */
                if (mag > (limit - (uint64_t)d) / (uint64_t)base)
                        return false;
                mag = mag * (uint64_t)base + (uint64_t)d;
        }
        *ret = mag;
        return true;
}

/* How much of a token to quote in a message: a long one is cut (with "..."). */
#define TOKEN_FMT "'%.*s%s'"
#define TOKEN_ARGS(tok, len) (int)((len) > 64 ? 64 : (len)), (tok), (len) > 64 ? "..." : ""

static int fail_number(struct toml_parser *p, size_t at, const char *tok, size_t len)
{
        bool numeric = is_digit(tok[0]) || tok[0] == '+' || tok[0] == '-';

        return toml_fail(p, at, "invalid %s " TOKEN_FMT, numeric ? "number" : "value", TOKEN_ARGS(tok, len));
}

/* 0x, 0o, 0b: no sign, leading zeros allowed, at most INT64_MAX. */
static int parse_prefixed_int(struct toml_parser *p, size_t at, const char *tok, size_t len, struct tnode *n)
{
        int base = tok[1] == 'x' ? 16 : tok[1] == 'o' ? 8 : 2;
        size_t i = 2;
        uint64_t mag;

        if (!scan_digits(tok, len, &i, base) || i != len)
                return fail_number(p, at, tok, len);
        if (!accumulate(tok + 2, len - 2, base, INT64_MAX, &mag))
                return toml_fail(p, at, "integer " TOKEN_FMT " out of range", TOKEN_ARGS(tok, len));
        n->kind = TN_INTEGER;
        n->u.i = (int64_t)mag;
        return 0;
}

static int parse_decimal_int(struct toml_parser *p, size_t at, const char *tok, size_t len, struct tnode *n)
{
        bool neg = tok[0] == '-';
        size_t sign = tok[0] == '-' || tok[0] == '+';
        uint64_t mag;

        if (!accumulate(tok + sign, len - sign, 10, neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX, &mag))
                return toml_fail(p, at, "integer " TOKEN_FMT " out of range", TOKEN_ARGS(tok, len));
        n->kind = TN_INTEGER;
        if (!neg)
                n->u.i = (int64_t)mag;
        else if (mag > INT64_MAX)
                n->u.i = INT64_MIN;
        else
                n->u.i = -(int64_t)mag;
        return 0;
}

static int parse_float(struct toml_parser *p, size_t at, const char *tok, size_t len, struct tnode *n)
{
        struct strbuf sb = STRBUF_INIT;
        char *end;
        double d;

        if (!p->c_locale) {
                p->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
                if (!p->c_locale)
                        return cpod_error_sys(p->err, errno, "create the C locale");
        }
        for (size_t i = 0; i < len; i++)
                if (tok[i] != '_')
                        strbuf_addch(&sb, tok[i]);
        d = strtod_l(sb.buf, &end, p->c_locale);
        if (end != sb.buf + sb.len || isinf(d)) {
                strbuf_release(&sb);
                return toml_fail(p, at, "float " TOKEN_FMT " out of range", TOKEN_ARGS(tok, len));
        }
        strbuf_release(&sb);
        n->kind = TN_FLOAT;
        n->u.f = d;
        return 0;
}

static bool parse_special_float(const char *tok, size_t len, struct tnode *n)
{
        size_t sign = tok[0] == '-' || tok[0] == '+';

        if (len - sign != 3)
                return false;
        if (memcmp(tok + sign, "inf", 3) == 0)
                n->u.f = tok[0] == '-' ? -INFINITY : INFINITY;
        else if (memcmp(tok + sign, "nan", 3) == 0)
                n->u.f = tok[0] == '-' ? -NAN : NAN;
        else
                return false;
        n->kind = TN_FLOAT;
        return true;
}

/* [+-] (0 | [1-9] digits) [. digits] [eE [+-] digits], digits with single '_' between. */
static int parse_number(struct toml_parser *p, struct tnode *n)
{
        size_t at = p->pos, len = 0, i = 0, int_start;
        const char *tok = p->buf + at;
        bool is_float = false;

        while (is_number_char(toml_peek(p, len)))
                len++;
        if (len == 0)
                return toml_fail_unexpected(p, at, "where a value was expected");
        p->pos += len;
        if (parse_special_float(tok, len, n))
                return 0;
        if (len > 2 && tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'o' || tok[1] == 'b'))
                return parse_prefixed_int(p, at, tok, len, n);
        if (tok[0] == '+' || tok[0] == '-')
                i++;
        int_start = i;
        if (!scan_digits(tok, len, &i, 10))
                return fail_number(p, at, tok, len);
        if (tok[int_start] == '0' && i - int_start > 1)
                return toml_fail(p, at, "leading zero in number " TOKEN_FMT, TOKEN_ARGS(tok, len));
        if (i < len && tok[i] == '.') {
                i++;
                is_float = true;
                if (!scan_digits(tok, len, &i, 10))
                        return fail_number(p, at, tok, len);
        }
        if (i < len && (tok[i] == 'e' || tok[i] == 'E')) {
                i++;
                is_float = true;
                if (i < len && (tok[i] == '+' || tok[i] == '-'))
                        i++;
                if (!scan_digits(tok, len, &i, 10))
                        return fail_number(p, at, tok, len);
        }
        if (i != len)
                return fail_number(p, at, tok, len);
        return is_float ? parse_float(p, at, tok, len, n) : parse_decimal_int(p, at, tok, len, n);
}

/* The two-digit decimal at pos + off, or -1. */
static int two_digits(const struct toml_parser *p, size_t off)
{
        int a = toml_peek(p, off), b = toml_peek(p, off + 1);

        return is_digit(a) && is_digit(b) ? (a - '0') * 10 + (b - '0') : -1;
}

static int days_in_month(int year, int month)
{
        static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
        bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);

        return month == 2 && leap ? 29 : days[month - 1];
}

/* YYYY-MM-DD at pos, appended to out. */
static int parse_date(struct toml_parser *p, struct strbuf *out)
{
        int hi = two_digits(p, 0), lo = two_digits(p, 2), month = two_digits(p, 5), day = two_digits(p, 8);

        if (hi < 0 || lo < 0 || toml_peek(p, 4) != '-' || month < 0 || toml_peek(p, 7) != '-' || day < 0)
                return toml_fail(p, p->pos, "invalid date, expected YYYY-MM-DD");
        if (month < 1 || month > 12 || day < 1 || day > days_in_month(hi * 100 + lo, month))
                return toml_fail(p, p->pos, "invalid date '%.10s'", p->buf + p->pos);
        strbuf_add(out, p->buf + p->pos, 10);
        p->pos += 10;
        return 0;
}

/*
 * HH:MM:SS[.fraction] at pos, appended to out.  Seconds are required (TOML
 * 1.0); a leap second is rejected, as by Python's tomllib and most others.
 */
static int parse_time(struct toml_parser *p, struct strbuf *out)
{
        int h = two_digits(p, 0), m = two_digits(p, 3), s = two_digits(p, 6);
        size_t n = 8;

        if (h < 0 || toml_peek(p, 2) != ':' || m < 0 || toml_peek(p, 5) != ':' || s < 0)
                return toml_fail(p, p->pos, "invalid time, expected HH:MM:SS");
        if (h > 23 || m > 59 || s > 59)
                return toml_fail(p, p->pos, "invalid time '%.8s'", p->buf + p->pos);
        if (toml_peek(p, 8) == '.') {
                if (!is_digit(toml_peek(p, 9)))
                        return toml_fail(p, p->pos + 8, "missing digits after '.' in time");
                for (n = 9; is_digit(toml_peek(p, n)); n++)
                        ;
        }
        strbuf_add(out, p->buf + p->pos, n);
        p->pos += n;
        return 0;
}

/* Z or +HH:MM / -HH:MM after a date-time, if any; sets the kind. */
static int parse_offset(struct toml_parser *p, struct strbuf *out, struct tnode *n)
{
        int c = toml_peek(p, 0), h, m;

        n->kind = TN_DATETIME;
        if (c == 'Z' || c == 'z') {
                strbuf_addch(out, 'Z');
                p->pos++;
                return 0;
        }
        if (c != '+' && c != '-') {
                n->kind = TN_DATETIME_LOCAL;
                return 0;
        }
        h = two_digits(p, 1), m = two_digits(p, 4);
        if (h < 0 || toml_peek(p, 3) != ':' || m < 0 || h > 23 || m > 59)
                return toml_fail(p, p->pos, "invalid time zone offset, expected Z or +HH:MM");
        strbuf_add(out, p->buf + p->pos, 6);
        p->pos += 6;
        return 0;
}

static int parse_datetime(struct toml_parser *p, struct tnode *n)
{
        struct strbuf sb = STRBUF_INIT;
        int c, r;

        r = parse_date(p, &sb);
        c = toml_peek(p, 0);
        /* A space separates the time only when a time follows: "2001-01-01 # c" is a date. */
        if (r >= 0 && (c == 'T' || c == 't' || (c == ' ' && two_digits(p, 1) >= 0 && toml_peek(p, 3) == ':'))) {
                strbuf_addch(&sb, 'T');
                p->pos++;
                r = parse_time(p, &sb);
                if (r >= 0)
                        r = parse_offset(p, &sb, n);
        } else {
                n->kind = TN_DATE_LOCAL;
        }
        if (r < 0) {
                strbuf_release(&sb);
                return r;
        }
        n->u.str.s = strbuf_detach(&sb, &n->u.str.len);
        return 0;
}

static bool match_word(struct toml_parser *p, const char *w)
{
        size_t n = strlen(w);

        if (p->len - p->pos < n || memcmp(p->buf + p->pos, w, n) != 0)
                return false;
        p->pos += n;
        return true;
}

int toml_parse_scalar(struct toml_parser *p, struct tnode *n)
{
        bool is_true;

        if (two_digits(p, 0) >= 0 && two_digits(p, 2) >= 0 && toml_peek(p, 4) == '-')
                return parse_datetime(p, n);
        if (two_digits(p, 0) >= 0 && toml_peek(p, 2) == ':') {
                struct strbuf sb = STRBUF_INIT;
                int r = parse_time(p, &sb);

                n->kind = TN_TIME_LOCAL;
                n->u.str.s = strbuf_detach(&sb, &n->u.str.len);
                return r;
        }
        is_true = match_word(p, "true");
        if (is_true || match_word(p, "false")) {
                n->kind = TN_BOOL;
                n->u.b = is_true;
                return 0;
        }
        return parse_number(p, n);
}
