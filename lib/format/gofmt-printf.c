/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fmt.Sprintf's format parser: flags, width and precision (also from
 * arguments with '*'), explicit argument indexes ("%[2]d"), and Go's notes
 * for mistakes: %!d(MISSING), %!d(BADINDEX), %!(NOVERB), %!(BADWIDTH),
 * %!(BADPREC) and %!(EXTRA type=value).
 */
#include "format/gofmt-private.h"
#include "format/utf8.h"

struct printf_state {
        const char *fmt;
        size_t i, end;
        json_t *const *args;
        size_t nargs, argnum;
        bool reordered, good_argnum, after_index;
};

/* Digits at fmt[*i..end); past 1e6 it gives up and skips to end, as Go does. */
static bool parse_num(const char *fmt, size_t *i, size_t end, int *num)
{
        bool isnum = false;

        *num = 0;
        for (; *i < end && fmt[*i] >= '0' && fmt[*i] <= '9'; (*i)++) {
                if (*num > GOFMT_MAX_NUM) {
                        *num = 0;
                        *i = end;
                        return false;
                }
                *num = *num * 10 + (fmt[*i] - '0');
                isnum = true;
        }
        return isnum;
}

/* "[n]" at s: index n-1, bytes consumed, whether it parsed. */
static bool parse_arg_index(const char *s, size_t len, int *index, size_t *wid)
{
        *index = 0;
        *wid = 1;
        if (len < 3)
                return false;
        for (size_t j = 1; j < len; j++) {
                if (s[j] == ']') {
                        size_t k = 1;
                        int n;
                        bool ok = parse_num(s, &k, j, &n);
                        *wid = j + 1;
                        if (!ok || k != j)
                                return false;
                        *index = n - 1;
                        return true;
                }
        }
        return false;
}

static void arg_number(struct printf_state *st)
{
        int index;
        size_t wid;
        bool ok;

        st->after_index = false;
        if (st->i >= st->end || st->fmt[st->i] != '[')
                return;
        st->reordered = true;
        ok = parse_arg_index(st->fmt + st->i, st->end - st->i, &index, &wid);
        st->i += wid;
        if (ok && index >= 0 && (size_t)index < st->nargs) {
                st->argnum = (size_t)index;
                st->after_index = true;
                return;
        }
        st->good_argnum = false;
        st->after_index = ok;
}

static bool int_from_arg(struct printf_state *st, int *num)
{
        bool is_int = false;

        *num = 0;
        if (st->argnum < st->nargs) {
                json_t *v = st->args[st->argnum++];
                if (json_is_integer(v) && json_integer_value(v) >= -GOFMT_MAX_NUM &&
                    json_integer_value(v) <= GOFMT_MAX_NUM) {
                        *num = (int)json_integer_value(v);
                        is_int = true;
                }
        }
        return is_int;
}

static void parse_flags(struct gf *g, struct printf_state *st)
{
        for (; st->i < st->end; st->i++) {
                switch (st->fmt[st->i]) {
                case '#':
                        g->sharp = true;
                        break;
                case '0':
                        g->zero = !g->minus;
                        break;
                case '+':
                        g->plus = true;
                        break;
                case '-':
                        g->minus = true;
                        g->zero = false;
                        break;
                case ' ':
                        g->space = true;
                        break;
                default:
                        return;
                }
        }
}

static void parse_width(struct gf *g, struct printf_state *st)
{
        if (st->i < st->end && st->fmt[st->i] == '*') {
                st->i++;
                g->wid_present = int_from_arg(st, &g->wid);
                if (!g->wid_present)
                        gf_writes(g, "%!(BADWIDTH)");
                if (g->wid < 0) {
                        g->wid = -g->wid;
                        g->minus = true;
                        g->zero = false;
                }
                st->after_index = false;
        } else {
                g->wid_present = parse_num(st->fmt, &st->i, st->end, &g->wid);
                if (st->after_index && g->wid_present)
                        st->good_argnum = false;
        }
}

static void parse_prec(struct gf *g, struct printf_state *st)
{
        if (st->i >= st->end || st->fmt[st->i] != '.')
                return;
        st->i++;
        if (st->after_index)
                st->good_argnum = false;
        arg_number(st);
        if (st->i < st->end && st->fmt[st->i] == '*') {
                st->i++;
                g->prec_present = int_from_arg(st, &g->prec);
                if (g->prec < 0) {
                        g->prec = 0;
                        g->prec_present = false;
                }
                if (!g->prec_present)
                        gf_writes(g, "%!(BADPREC)");
                st->after_index = false;
        } else {
                g->prec_present = parse_num(st->fmt, &st->i, st->end, &g->prec);
                if (!g->prec_present) {
                        g->prec = 0;
                        g->prec_present = true;
                }
        }
}

static void note(struct gf *g, uint32_t verb, const char *what)
{
        struct strbuf sb = STRBUF_INIT;

        strbuf_addstr(&sb, "%!");
        utf8_encode(&sb, verb);
        strbuf_addf(&sb, "(%s)", what);
        gf_write(g, sb.buf, sb.len);
        strbuf_release(&sb);
}

/* One directive after its '%'; returns false when the format ended without a verb. */
static bool directive(struct gf *g, struct printf_state *st)
{
        uint32_t verb;

        gf_clear_flags(g);
        parse_flags(g, st);
        arg_number(st);
        parse_width(g, st);
        parse_prec(g, st);
        if (!st->after_index)
                arg_number(st);
        if (st->i >= st->end) {
                gf_writes(g, "%!(NOVERB)");
                return false;
        }
        st->i += utf8_decode(st->fmt + st->i, st->end - st->i, &verb);
        if (verb == '%') {
                gf_writes(g, "%");
        } else if (!st->good_argnum) {
                note(g, verb, "BADINDEX");
        } else if (st->argnum >= st->nargs) {
                note(g, verb, "MISSING");
        } else {
                if (verb == 'v') {
                        g->sharp_v = g->sharp;
                        g->sharp = false;
                        g->plus_v = g->plus;
                        g->plus = false;
                }
                gf_print_arg(g, st->args[st->argnum++], verb);
        }
        return true;
}

static void extra_args(struct gf *g, struct printf_state *st)
{
        gf_clear_flags(g);
        gf_writes(g, "%!(EXTRA ");
        for (size_t k = st->argnum; k < st->nargs; k++) {
                json_t *v = st->args[k];

                if (k > st->argnum)
                        gf_writes(g, ", ");
                if (json_is_null(v)) {
                        gf_writes(g, "<nil>");
                        continue;
                }
                gf_writes(g, gofmt_type_name(v));
                gf_writes(g, "=");
                gf_print_arg(g, v, 'v');
        }
        gf_writes(g, ")");
}

int gofmt_sprintf(struct strbuf *out, const char *fmt, size_t fmtlen, json_t *const *args, size_t n, size_t limit)
{
        struct gf g = { .out = out, .limit = limit };
        struct printf_state st = { .fmt = fmt, .end = fmtlen, .args = args, .nargs = n };

        while (st.i < st.end && !g.overflow) {
                size_t last = st.i;

                st.good_argnum = true;
                while (st.i < st.end && fmt[st.i] != '%')
                        st.i++;
                if (st.i > last)
                        gf_write(&g, fmt + last, st.i - last);
                if (st.i >= st.end)
                        break;
                st.i++;
                if (!directive(&g, &st))
                        break;
        }
        if (!st.reordered && st.argnum < st.nargs)
                extra_args(&g, &st);
        return g.overflow ? -1 : 0;
}
