/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The functions templates may call: Go's builtins and podman's additions.
 * Argument type errors read like Go's ("wrong type for value; expected
 * string; got int"), failures inside a function like "error calling index:
 * index out of range: 5".  Strings a function builds are charged to the
 * step budget and bounded by the output limit.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "util/cleanup.h"
#include "format/gofmt.h"
#include "format/json-go.h"
#include "format/template-private.h"
#include "format/utf8.h"
#include "util/xalloc.h"

struct callctx {
        struct call c;
        size_t pos, end;
};

#define CTX(c) ((struct callctx *)(c))

/* Go's type of the value, as template errors name it ("nil" rather than %T's "<nil>"). */
static const char *type_name(const json_t *v)
{
        return json_is_null(v) ? "nil" : gofmt_type_name(v);
}

json_t *call_fail(struct call *c, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;

        va_start(ap, fmt);
        msg = xvasprintf(fmt, ap);
        va_end(ap);
        return exec_fail(c->ex, CTX(c)->pos, CTX(c)->end, "error calling %s: %s", c->name, msg);
}

static json_t *arg_fail(struct call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static json_t *arg_fail(struct call *c, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;

        va_start(ap, fmt);
        msg = xvasprintf(fmt, ap);
        va_end(ap);
        return exec_fail(c->ex, CTX(c)->pos, CTX(c)->end, "%s", msg);
}

static bool want_str(struct call *c, const json_t *v, const char **s, size_t *n)
{
        if (json_is_string(v)) {
                *s = json_string_value(v);
                *n = json_string_length(v);
                return true;
        }
        if (json_is_null(v))
                arg_fail(c, "invalid value; expected string");
        else
                arg_fail(c, "wrong type for value; expected string; got %s", type_name(v));
        return false;
}

static bool want_int(struct call *c, const json_t *v, json_int_t *i)
{
        if (json_is_integer(v)) {
                *i = json_integer_value(v);
                return true;
        }
        if (json_is_real(v) && json_real_value(v) == (double)(json_int_t)json_real_value(v)) {
                *i = (json_int_t)json_real_value(v);
                return true;
        }
        if (json_is_null(v))
                arg_fail(c, "invalid value; expected int");
        else
                arg_fail(c, "wrong type for value; expected int; got %s", type_name(v));
        return false;
}

/* Hand a built string back as a value, charged by its size; consumes sb. */
static json_t *ret_string(struct call *c, struct strbuf *sb, bool overflow)
{
        json_t *v = NULL;

        if (overflow || sb->len > tmpl_out_limit(c->ex))
                call_fail(c, "result exceeds %zu bytes", tmpl_out_limit(c->ex));
        else if (exec_charge(c->ex, sb->len / 64, CTX(c)->pos))
                v = json_stringn_nocheck(sb->buf, sb->len);
        strbuf_release(sb);
        return v;
}

/* ---- Go builtins ---- */

static json_t *fn_not(struct call *c, json_t **a, size_t n)
{
        return json_boolean(!tmpl_truth(a[0]));
}

static json_t *fn_len(struct call *c, json_t **a, size_t n)
{
        switch (json_typeof(a[0])) {
        case JSON_STRING:
                return json_integer((json_int_t)json_string_length(a[0]));
        case JSON_ARRAY:
                return json_integer((json_int_t)json_array_size(a[0]));
        case JSON_OBJECT:
                return json_integer((json_int_t)json_object_size(a[0]));
        case JSON_NULL:
                return call_fail(c, "len of nil pointer");
        default:
                return call_fail(c, "len of type %s", type_name(a[0]));
        }
}

/* A missing key: the zero value of the map's element type, "" for string maps (podman's labels). */
static json_t *missing_key(const json_t *obj)
{
        const char *k;
        json_t *v;

        json_object_foreach((json_t *)obj, k, v)
                if (!json_is_string(v))
                        return json_null();
        return json_string("");
}

static json_t *index_one(struct call *c, json_t *x, json_t *key)
{
        json_int_t i;

        if (json_is_object(x) || (json_is_null(x) && json_is_string(key))) {
                json_t *v;
                if (!json_is_string(key))
                        return call_fail(c, "value has type %s; should be string", type_name(key));
                v = json_object_getn(x, json_string_value(key), json_string_length(key));
                return v ? json_incref(v) : missing_key(x);
        }
        if (!json_is_array(x) && !json_is_string(x) && !json_is_null(x))
                return call_fail(c, "can't index item of type %s", type_name(x));
        if (json_is_null(key))
                return call_fail(c, "cannot index slice/array with nil");
        if (!json_is_integer(key))
                return call_fail(c, "cannot index slice/array with type %s", type_name(key));
        i = json_integer_value(key);
        if (json_is_array(x) && i >= 0 && (size_t)i < json_array_size(x))
                return json_incref(json_array_get(x, (size_t)i));
        if (json_is_string(x) && i >= 0 && (size_t)i < json_string_length(x))
                return json_integer((unsigned char)json_string_value(x)[i]);
        return call_fail(c, "index out of range: %lld", (long long)i);
}

static json_t *fn_index(struct call *c, json_t **a, size_t n)
{
        json_t *v = json_incref(a[0]);

        for (size_t i = 1; i < n && v; i++) {
                json_t *next = index_one(c, v, a[i]);
                json_decref(v);
                v = next;
        }
        return v;
}

static json_t *fn_print(struct call *c, json_t **a, size_t n)
{
        struct strbuf sb = STRBUF_INIT;
        int r = gofmt_sprint(&sb, a, n, strcmp(c->name, "println") == 0, tmpl_out_limit(c->ex));

        return ret_string(c, &sb, r < 0);
}

static json_t *fn_printf(struct call *c, json_t **a, size_t n)
{
        struct strbuf sb = STRBUF_INIT;
        const char *f;
        size_t flen;

        if (!want_str(c, a[0], &f, &flen))
                return NULL;
        return ret_string(c, &sb, gofmt_sprintf(&sb, f, flen, a + 1, n - 1, tmpl_out_limit(c->ex)) < 0);
}

/* ---- comparisons ---- */

static bool is_number(const json_t *v)
{
        return json_is_integer(v) || json_is_real(v);
}

/* -1, 0, 1; or 2 with an error set. Numbers compare across int and float64 (an extension of Go's rules). */
static int compare(struct call *c, const json_t *a, const json_t *b, bool ordered)
{
        if (is_number(a) && is_number(b)) {
                if (json_is_integer(a) && json_is_integer(b))
                        return (json_integer_value(a) > json_integer_value(b)) -
                               (json_integer_value(a) < json_integer_value(b));
                return (json_number_value(a) > json_number_value(b)) - (json_number_value(a) < json_number_value(b));
        }
        if (json_is_string(a) && json_is_string(b)) {
                size_t la = json_string_length(a), lb = json_string_length(b);
                int r = memcmp(json_string_value(a), json_string_value(b), la < lb ? la : lb);
                return r ? (r > 0) - (r < 0) : (la > lb) - (la < lb);
        }
        if (!ordered && json_is_boolean(a) && json_is_boolean(b))
                return json_is_true(a) != json_is_true(b);
        if (ordered &&
            (json_is_null(a) || json_is_null(b) || json_is_boolean(a) || json_is_array(a) || json_is_object(a)))
                call_fail(c, "invalid type for comparison");
        else if (json_is_array(a) || json_is_object(a) || json_is_array(b) || json_is_object(b))
                call_fail(c, "non-comparable type");
        else
                call_fail(c, "incompatible types for comparison");
        return 2;
}

static json_t *fn_eq(struct call *c, json_t **a, size_t n)
{
        if (n < 2)
                return call_fail(c, "missing argument for comparison");
        for (size_t i = 1; i < n; i++) {
                int r;
                if (json_is_null(a[0]) || json_is_null(a[i])) {
                        if (json_is_null(a[0]) && json_is_null(a[i]))
                                return json_true();
                        continue;
                }
                r = compare(c, a[0], a[i], false);
                if (r == 2)
                        return NULL;
                if (r == 0)
                        return json_true();
        }
        return json_false();
}

static json_t *fn_ne(struct call *c, json_t **a, size_t n)
{
        json_t *eq = fn_eq(c, a, n);
        json_t *r = eq ? json_boolean(!json_is_true(eq)) : NULL;

        json_decref(eq);
        return r;
}

static json_t *fn_order(struct call *c, json_t **a, size_t n)
{
        int r = compare(c, a[0], a[1], true);

        if (r == 2)
                return NULL;
        switch (c->name[0] == 'l' ? (c->name[1] == 't' ? 0 : 1) : (c->name[1] == 't' ? 2 : 3)) {
        case 0:
                return json_boolean(r < 0);
        case 1:
                return json_boolean(r <= 0);
        case 2:
                return json_boolean(r > 0);
        default:
                return json_boolean(r >= 0);
        }
}

/* ---- podman's string functions ---- */

static json_t *fn_json(struct call *c, json_t **a, size_t n)
{
        struct strbuf sb = STRBUF_INIT;

        json_go_append(&sb, a[0], NULL, 0);
        return ret_string(c, &sb, false);
}

static json_t *map_case(struct call *c, json_t **a, uint32_t (*map)(uint32_t), bool title)
{
        struct strbuf sb = STRBUF_INIT;
        const char *s;
        size_t n;
        bool at_word_start = true;

        if (!want_str(c, a[0], &s, &n))
                return NULL;
        for (size_t i = 0; i < n;) {
                uint32_t cp;
                size_t w = utf8_decode(s + i, n - i, &cp);

                if (w == 1 && cp == UTF8_RUNE_ERROR)
                        strbuf_addch(&sb, s[i]);
                else if (!title || at_word_start)
                        utf8_encode(&sb, map(cp));
                else
                        strbuf_add(&sb, s + i, w);
                at_word_start = !utf8_is_word(cp) || (w == 1 && cp == UTF8_RUNE_ERROR);
                i += w;
        }
        return ret_string(c, &sb, false);
}

static json_t *fn_upper(struct call *c, json_t **a, size_t n)
{
        return map_case(c, a, utf8_toupper, false);
}

static json_t *fn_lower(struct call *c, json_t **a, size_t n)
{
        return map_case(c, a, utf8_tolower, false);
}

static json_t *fn_title(struct call *c, json_t **a, size_t n)
{
        return map_case(c, a, utf8_toupper, true);
}

static json_t *fn_join(struct call *c, json_t **a, size_t n)
{
        struct strbuf sb = STRBUF_INIT;
        const char *sep;
        size_t seplen, i;
        json_t *e;

        if (!want_str(c, a[1], &sep, &seplen))
                return NULL;
        if (!json_is_array(a[0]) && !json_is_null(a[0]))
                return arg_fail(c, "wrong type for value; expected []string; got %s", type_name(a[0]));
        json_array_foreach(a[0], i, e) {
                if (!json_is_string(e)) {
                        strbuf_release(&sb);
                        return arg_fail(c, "wrong type for value; expected []string; got []interface {}");
                }
                if (i > 0)
                        strbuf_add(&sb, sep, seplen);
                strbuf_add(&sb, json_string_value(e), json_string_length(e));
                if (sb.len > tmpl_out_limit(c->ex))
                        return ret_string(c, &sb, true);
        }
        return ret_string(c, &sb, false);
}

static json_t *fn_split(struct call *c, json_t **a, size_t n)
{
        const char *s, *sep;
        size_t slen, seplen, start = 0;
        json_t *arr;

        if (!want_str(c, a[0], &s, &slen) || !want_str(c, a[1], &sep, &seplen))
                return NULL;
        if (!exec_charge(c->ex, slen / 16, CTX(c)->pos))
                return NULL;
        arr = json_array();
        if (seplen == 0) {
                /* Go's explode: one string per UTF-8 sequence (or invalid byte) */
                for (size_t i = 0; i < slen;) {
                        uint32_t cp;
                        size_t w = utf8_decode(s + i, slen - i, &cp);
                        json_array_append_new(arr, json_stringn_nocheck(s + i, w));
                        i += w;
                }
                return arr;
        }
        for (;;) {
                const char *hit = memmem(s + start, slen - start, sep, seplen);
                size_t end = hit ? (size_t)(hit - s) : slen;

                json_array_append_new(arr, json_stringn_nocheck(s + start, end - start));
                if (!hit)
                        return arr;
                start = end + seplen;
        }
}

/* podman's truncate: the first n bytes, backed off to a rune boundary. */
static json_t *fn_truncate(struct call *c, json_t **a, size_t n)
{
        const char *s;
        size_t len, cut;
        json_int_t max;

        if (!want_str(c, a[0], &s, &len) || !want_int(c, a[1], &max))
                return NULL;
        if (max < 0)
                return call_fail(c, "negative length %lld", (long long)max);
        if ((size_t)max >= len)
                return json_incref(a[0]);
        cut = (size_t)max;
        while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
                cut--;
        return json_stringn_nocheck(s, cut);
}

/* podman's pad: prefix and suffix spaces around a non-empty string. */
static json_t *fn_pad(struct call *c, json_t **a, size_t n)
{
        struct strbuf sb = STRBUF_INIT;
        json_int_t pre, post;
        const char *s;
        size_t len;

        if (!want_str(c, a[0], &s, &len) || !want_int(c, a[1], &pre) || !want_int(c, a[2], &post))
                return NULL;
        if (pre < 0 || post < 0)
                return call_fail(c, "negative Repeat count");
        if (len == 0)
                return json_incref(a[0]);
        if ((uint64_t)pre + (uint64_t)post + len > tmpl_out_limit(c->ex))
                return ret_string(c, &sb, true);
        strbuf_addchars(&sb, ' ', (size_t)pre);
        strbuf_add(&sb, s, len);
        strbuf_addchars(&sb, ' ', (size_t)post);
        return ret_string(c, &sb, false);
}

static json_t *fn_contains(struct call *c, json_t **a, size_t n)
{
        const char *s, *sub;
        size_t slen, sublen;

        if (!want_str(c, a[0], &s, &slen) || !want_str(c, a[1], &sub, &sublen))
                return NULL;
        if (!exec_charge(c->ex, slen / 64, CTX(c)->pos))
                return NULL;
        if (c->name[0] == 'c')
                return json_boolean(sublen == 0 || memmem(s, slen, sub, sublen) != NULL);
        if (sublen > slen)
                return json_false();
        if (strcmp(c->name, "hasPrefix") == 0)
                return json_boolean(memcmp(s, sub, sublen) == 0);
        return json_boolean(memcmp(s + slen - sublen, sub, sublen) == 0);
}

static const struct tmpl_func funcs[] = {
        { "and", 1, -1, NULL, true },
        { "contains", 2, 2, fn_contains, false },
        { "eq", 1, -1, fn_eq, false },
        { "ge", 2, 2, fn_order, false },
        { "gt", 2, 2, fn_order, false },
        { "hasPrefix", 2, 2, fn_contains, false },
        { "hasSuffix", 2, 2, fn_contains, false },
        { "index", 1, -1, fn_index, false },
        { "join", 2, 2, fn_join, false },
        { "json", 1, 1, fn_json, false },
        { "le", 2, 2, fn_order, false },
        { "len", 1, 1, fn_len, false },
        { "lower", 1, 1, fn_lower, false },
        { "lt", 2, 2, fn_order, false },
        { "ne", 2, 2, fn_ne, false },
        { "not", 1, 1, fn_not, false },
        { "or", 1, -1, NULL, true },
        { "pad", 3, 3, fn_pad, false },
        { "print", 0, -1, fn_print, false },
        { "printf", 1, -1, fn_printf, false },
        { "println", 0, -1, fn_print, false },
        { "split", 2, 2, fn_split, false },
        { "title", 1, 1, fn_title, false },
        { "truncate", 2, 2, fn_truncate, false },
        { "upper", 1, 1, fn_upper, false },
};

const struct tmpl_func *tmpl_func_lookup(const char *name, size_t len)
{
        for (size_t i = 0; i < ARRAY_SIZE(funcs); i++)
                if (strlen(funcs[i].name) == len && memcmp(funcs[i].name, name, len) == 0)
                        return &funcs[i];
        return NULL;
}

static bool check_count(struct exec *ex, const struct tmpl_func *fn, size_t n, size_t pos, size_t end)
{
        if ((int)n >= fn->min_args && (fn->max_args < 0 || (int)n <= fn->max_args))
                return true;
        if (fn->max_args < 0)
                exec_fail(ex, pos, end, "wrong number of args for %s: want at least %d got %zu", fn->name, fn->min_args,
                          n);
        else
                exec_fail(ex, pos, end, "wrong number of args for %s: want %d got %zu", fn->name, fn->min_args, n);
        return false;
}

json_t *tmpl_call_fn(struct exec *ex, const struct tmpl_func *fn, json_t **args, size_t n, size_t pos, size_t end,
                     json_t *dot)
{
        struct callctx ctx = { .c = { .ex = ex, .name = fn->name, .dot = dot }, .pos = pos, .end = end };

        if (!check_count(ex, fn, n, pos, end) || !exec_charge(ex, 1, pos))
                return NULL;
        if (fn->lazy) /* and/or with values already evaluated (a niladic call cannot get here) */
                return json_incref(args[n - 1]);
        return fn->fn(&ctx.c, args, n);
}

/* and/or: evaluate left to right, stop at the first false (and) or true (or) value and return it. */
static json_t *call_lazy(struct exec *ex, const struct cmd *cmd, size_t first, json_t *dot, json_t *final)
{
        const struct tmpl_func *fn = cmd->args[0]->fn;
        size_t n = cmd->nargs - first + (final ? 1 : 0);
        bool is_and = fn->name[0] == 'a';

        if (!check_count(ex, fn, n, cmd->pos, cmd->end))
                return NULL;
        for (size_t i = first; i < cmd->nargs; i++) {
                json_t *v = exec_arg(ex, cmd->args[i], dot);
                if (!v)
                        return NULL;
                if (tmpl_truth(v) != is_and || (i + 1 == cmd->nargs && !final))
                        return v;
                json_decref(v);
        }
        return json_incref(final);
}

json_t *tmpl_call(struct exec *ex, const struct cmd *cmd, size_t first, json_t *dot, json_t *final)
{
        const struct tmpl_func *fn = cmd->args[0]->fn;
        size_t n = 0, want = cmd->nargs - first + (final ? 1 : 0);
        _cleanup_free_ json_t **args = NULL;
        json_t *r = NULL;

        if (fn->lazy)
                return call_lazy(ex, cmd, first, dot, final);
        args = xnew0(json_t *, want + 1);
        for (size_t i = first; i < cmd->nargs; i++) {
                args[n] = exec_arg(ex, cmd->args[i], dot);
                if (!args[n])
                        goto out;
                n++;
        }
        if (final)
                args[n++] = json_incref(final);
        r = tmpl_call_fn(ex, fn, args, n, cmd->pos, cmd->end, dot);
out:
        for (size_t i = 0; i < n; i++)
                json_decref(args[i]);
        return r;
}
