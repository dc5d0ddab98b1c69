/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Numbers as Go's fmt and strconv print them.  Fixed precisions (%.3f,
 * %e, %.4g) go through the C library, which rounds exactly like strconv;
 * the shortest forms Go uses by default (%v, %g, JSON) are computed here:
 * the fewest digits that read back as the same double, then laid out with
 * strconv's rules (%e past exponent -4 or 21 for JSON, 6 for %v).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "format/gofmt-private.h"
#include "util/xalloc.h"

int gofmt_shortest(double v, char digits[32], int *ret_dp)
{
        char buf[40];
        int nd = 0, exp10 = 0;

        v = fabs(v);
        if (v == 0 || !isfinite(v)) {
                *ret_dp = 0;
                return 0;
        }
        for (int prec = 1; prec <= 17; prec++) {
                snprintf(buf, sizeof(buf), "%.*e", prec - 1, v);
                if (strtod(buf, NULL) == v)
                        break;
        }
        for (const char *p = buf; *p && *p != 'e'; p++)
                if (*p >= '0' && *p <= '9')
                        digits[nd++] = *p;
        exp10 = atoi(strchr(buf, 'e') + 1);
        while (nd > 1 && digits[nd - 1] == '0')
                nd--;
        *ret_dp = exp10 + 1;
        return nd;
}

/* strconv's %e layout of nd digits with prec digits after the point. */
static void layout_e(struct strbuf *sb, const char *d, int nd, int dp, int prec, char e)
{
        int exp = nd == 0 ? 0 : dp - 1;

        strbuf_addch(sb, nd == 0 ? '0' : d[0]);
        if (prec > 0) {
                strbuf_addch(sb, '.');
                for (int i = 1; i <= prec; i++)
                        strbuf_addch(sb, i < nd ? d[i] : '0');
        }
        strbuf_addf(sb, "%c%c%02d", e, exp < 0 ? '-' : '+', abs(exp));
}

/* strconv's %f layout with prec digits after the point. */
static void layout_f(struct strbuf *sb, const char *d, int nd, int dp, int prec)
{
        if (dp > 0) {
                for (int i = 0; i < dp; i++)
                        strbuf_addch(sb, i < nd ? d[i] : '0');
        } else {
                strbuf_addch(sb, '0');
        }
        if (prec > 0) {
                strbuf_addch(sb, '.');
                for (int i = 0; i < prec; i++) {
                        int j = dp + i;
                        strbuf_addch(sb, j >= 0 && j < nd ? d[j] : '0');
                }
        }
}

void gofmt_float_shortest(struct strbuf *out, double v, char fmt)
{
        char d[32];
        int dp, nd = gofmt_shortest(v, d, &dp), exp = dp - 1;
        bool upper = fmt == 'E' || fmt == 'G';

        if (isnan(v)) {
                strbuf_addstr(out, "NaN");
                return;
        }
        if (signbit(v))
                strbuf_addch(out, '-');
        if (isinf(v)) {
                strbuf_addstr(out, "Inf");
                return;
        }
        if (fmt == 'g' || fmt == 'G')
                fmt = (exp < -4 || exp >= 6) && nd > 0 ? 'e' : 'f';
        if (fmt == 'e' || fmt == 'E')
                layout_e(out, d, nd, dp, nd > 0 ? nd - 1 : 0, upper ? 'E' : 'e');
        else
                layout_f(out, d, nd, dp, nd > dp ? nd - dp : 0);
}

void gf_integer(struct gf *g, uint64_t u, bool negative, int base, bool upper, uint32_t verb)
{
        const char *digits = upper ? "0123456789ABCDEFX" : "0123456789abcdefx";
        struct strbuf num = STRBUF_INIT, rev = STRBUF_INIT;
        long prec = 0;
        bool old_zero = g->zero;

        if (g->prec_present) {
                prec = g->prec;
                if (prec == 0 && u == 0) {
                        g->zero = false;
                        gf_padding(g, g->wid_present ? g->wid : 0);
                        g->zero = old_zero;
                        return;
                }
        } else if (g->zero && g->wid_present) {
                prec = g->wid;
                if (negative || g->plus || g->space)
                        prec--;
        }
        do {
                strbuf_addch(&rev, digits[u % (uint64_t)base]);
                u /= (uint64_t)base;
        } while (u);
        while ((long)rev.len < prec)
                strbuf_addch(&rev, '0');
        if (g->sharp && base == 2)
                strbuf_addstr(&rev, "b0");
        else if (g->sharp && base == 8 && rev.buf[rev.len - 1] != '0')
                strbuf_addch(&rev, '0');
        else if (g->sharp && base == 16)
                strbuf_addch(&rev, digits[16]), strbuf_addch(&rev, '0');
        if (verb == 'O')
                strbuf_addstr(&rev, "o0");
        if (negative || g->plus || g->space)
                strbuf_addch(&rev, negative ? '-' : g->plus ? '+' : ' ');
        for (size_t i = rev.len; i > 0; i--)
                strbuf_addch(&num, rev.buf[i - 1]);
        g->zero = false;
        gf_pad(g, num.buf, num.len);
        g->zero = old_zero;
        strbuf_release(&num);
        strbuf_release(&rev);
}

/* strconv's 'b' format: decimal mantissa and binary exponent ("4503599627370496p-52"). */
static void float_b(struct strbuf *sb, double v)
{
        uint64_t bits, mant;
        int exp;

        memcpy(&bits, &v, sizeof(bits));
        mant = bits & ((UINT64_C(1) << 52) - 1);
        exp = (int)((bits >> 52) & 0x7FF);
        if (exp == 0)
                exp++;
        else
                mant |= UINT64_C(1) << 52;
        exp += -1023 - 52;
        strbuf_addf(sb, "%s%llup%c%d", bits >> 63 ? "-" : "", (unsigned long long)mant, exp < 0 ? '-' : '+', abs(exp));
}

/* C's %a writes "p+0"; strconv writes at least two exponent digits. */
static void float_x(struct strbuf *sb, double v, uint32_t verb, int prec)
{
        size_t start = sb->len;
        char *p;

        if (prec >= 0)
                strbuf_addf(sb, verb == 'X' ? "%.*A" : "%.*a", prec, v);
        else
                strbuf_addf(sb, verb == 'X' ? "%A" : "%a", v);
        p = strpbrk(sb->buf + start, "pP");
        if (p && p[1] && p[2] && !p[3]) {
                char d = p[2];
                p[2] = '0';
                strbuf_addch(sb, d);
        }
}

/* The number with an explicit sign in front, as strconv.AppendFloat gives it to fmt. */
static void float_number(struct strbuf *sb, double v, uint32_t verb, int prec)
{
        char c = (char)verb;

        if (!signbit(v) || isnan(v))
                strbuf_addch(sb, '+');
        if (verb == 'b') {
                float_b(sb, v);
        } else if (verb == 'x' || verb == 'X') {
                float_x(sb, v, verb, prec);
        } else if (!isfinite(v)) {
                strbuf_addstr(sb, isnan(v) ? "NaN" : signbit(v) ? "-Inf" : "Inf");
        } else if (prec < 0) {
                gofmt_float_shortest(sb, v, c);
        } else {
                char cfmt[] = { '%', '.', '*', c == 'F' ? 'f' : c, 0 };
                strbuf_addf(sb, cfmt, prec, v);
        }
}

/* Go's %#e/%#f/%#g: keep the decimal point, and for %g the trailing zeros up to the precision. */
static void float_sharp(struct strbuf *num, uint32_t verb, int prec)
{
        int digits = (verb == 'g' || verb == 'G' || verb == 'x' || verb == 'X') ? (prec < 0 ? 6 : prec) : 0;
        bool has_point = false, nonzero = false;
        size_t cut = num->len;
        _cleanup_free_ char *tail = NULL;

        for (size_t i = 1; i < num->len; i++) {
                char c = num->buf[i];
                if (c == '.') {
                        has_point = true;
                } else if (c == 'p' || c == 'P' || ((c == 'e' || c == 'E') && verb != 'x' && verb != 'X')) {
                        cut = i;
                        break;
                } else {
                        nonzero |= c != '0';
                        if (nonzero)
                                digits--;
                }
        }
        tail = xstrndup(num->buf + cut, num->len - cut);
        strbuf_setlen(num, cut);
        if (!has_point) {
                if (num->len == 2 && num->buf[1] == '0')
                        digits--;
                strbuf_addch(num, '.');
        }
        for (; digits > 0; digits--)
                strbuf_addch(num, '0');
        strbuf_addstr(num, tail);
}

void gf_float(struct gf *g, double v, uint32_t verb, int prec)
{
        struct strbuf num = STRBUF_INIT;

        if (g->prec_present)
                prec = g->prec;
        float_number(&num, v, verb, prec);
        if (g->space && num.buf[0] == '+' && !g->plus)
                num.buf[0] = ' ';
        if (num.buf[1] == 'I' || num.buf[1] == 'N') {
                bool old_zero = g->zero;
                size_t skip = num.buf[1] == 'N' && !g->space && !g->plus;
                g->zero = false;
                gf_pad(g, num.buf + skip, num.len - skip);
                g->zero = old_zero;
        } else {
                if (g->sharp && verb != 'b')
                        float_sharp(&num, verb, prec);
                if (g->plus || num.buf[0] != '+') {
                        if (g->zero && g->wid_present && g->wid > (int)num.len) {
                                gf_write(g, num.buf, 1);
                                gf_padding(g, g->wid - (long)num.len);
                                gf_write(g, num.buf + 1, num.len - 1);
                        } else {
                                gf_pad(g, num.buf, num.len);
                        }
                } else {
                        gf_pad(g, num.buf + 1, num.len - 1);
                }
        }
        strbuf_release(&num);
}
