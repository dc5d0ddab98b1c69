/* SPDX-License-Identifier: Apache-2.0 */
/*
 * TOML document structure: keys, [tables], [[arrays of tables]], key/value
 * pairs, arrays and inline tables, and the rules about what may be defined
 * where.  The document is first built as a tree of struct tnode, whose flags
 * record how each table came to be (see enum tnode_flags), then converted to
 * JSON in the plain or the tagged form.
 *
 * Redefinition rules (TOML 1.0, matching Python's tomllib where the spec is
 * terse):
 *   - [a.b] may define a table created implicitly by an earlier header path,
 *     never one defined by a header, by dotted keys, or inline;
 *   - a header path may pass through any table but an inline one, and
 *     through an array of tables (into its last element);
 *   - dotted keys may create tables and pass through tables created
 *     implicitly or by dotted keys, never through a header-defined or inline
 *     table or an array;
 *   - [[a]] appends only to an array created by [[a]];
 *   - inline tables and arrays written as values are complete: nothing
 *     extends them afterwards.
 *
 * Recursion (values, conversion, freeing) is bounded by CPOD_TOML_MAX_DEPTH,
 * checked whenever a table or array is created.
 */
#include "util/toml.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/toml-private.h"
#include "util/xalloc.h"

static void tnode_free(struct tnode *n)
{
        if (!n)
                return;
        switch (n->kind) {
        case TN_TABLE:
                for (size_t i = 0; i < n->u.tab.n; i++) {
                        free(n->u.tab.v[i].key);
                        tnode_free(n->u.tab.v[i].val);
                }
                free(n->u.tab.v);
                json_decref(n->u.tab.index);
                break;
        case TN_ARRAY:
                for (size_t i = 0; i < n->u.arr.n; i++)
                        tnode_free(n->u.arr.v[i]);
                free(n->u.arr.v);
                break;
        case TN_INTEGER:
        case TN_FLOAT:
        case TN_BOOL:
                break;
        default:
                free(n->u.str.s);
                break;
        }
        free(n);
}
DEFINE_CLEANUP_FUNC(struct tnode, tnode_free)

/* Tables with this many keys get a hash index. */
#define TABLE_INDEX_MIN 8

/* A new table or array at depth, or NULL (with err set) when that is too deep. */
static struct tnode *container_new(struct toml_parser *p, enum tnode_kind kind, unsigned depth, unsigned flags,
                                   size_t at)
{
        struct tnode *n;

        if (depth > CPOD_TOML_MAX_DEPTH) {
                toml_fail(p, at, "nesting deeper than %d levels", CPOD_TOML_MAX_DEPTH);
                return NULL;
        }
        n = xnew0(struct tnode, 1);
        n->kind = kind;
        n->depth = depth;
        n->flags = flags;
        return n;
}

static struct tnode *table_get(const struct tnode *t, const char *key, size_t klen)
{
        json_t *idx;

        if (!t->u.tab.index) { /* small tables, the common case */
                for (size_t i = 0; i < t->u.tab.n; i++)
                        if (t->u.tab.v[i].klen == klen && memcmp(t->u.tab.v[i].key, key, klen) == 0)
                                return t->u.tab.v[i].val;
                return NULL;
        }
        idx = json_object_getn(t->u.tab.index, key, klen);
        return idx ? t->u.tab.v[json_integer_value(idx)].val : NULL;
}

static void index_put(struct tnode *t, size_t i)
{
        json_t *pos = json_integer((json_int_t)i);

        if (!pos || json_object_setn_new_nocheck(t->u.tab.index, t->u.tab.v[i].key, t->u.tab.v[i].klen, pos) < 0)
                abort(); /* out of memory */
}

/* Add key (taking ownership) -> val; the caller has checked that key is new. */
static void table_add(struct tnode *t, char *key, size_t klen, struct tnode *val)
{
        if (t->u.tab.n == t->u.tab.alloc) {
                t->u.tab.alloc = t->u.tab.alloc ? t->u.tab.alloc * 2 : 4;
                t->u.tab.v = xreallocarray(t->u.tab.v, t->u.tab.alloc, sizeof(*t->u.tab.v));
        }
        t->u.tab.v[t->u.tab.n++] = (struct tentry){ key, klen, val };
        /*
         * Past a few keys, look up through a jansson object: its hash is
         * seeded at random, so crafted keys cannot make lookups quadratic.
         */
        if (t->u.tab.n == TABLE_INDEX_MIN) {
                t->u.tab.index = json_object();
                if (!t->u.tab.index)
                        abort();
                for (size_t i = 0; i < t->u.tab.n; i++)
                        index_put(t, i);
        } else if (t->u.tab.index) {
                index_put(t, t->u.tab.n - 1);
        }
}

static void array_push(struct tnode *a, struct tnode *v)
{
        if (a->u.arr.n == a->u.arr.alloc) {
                a->u.arr.alloc = a->u.arr.alloc ? a->u.arr.alloc * 2 : 4;
                a->u.arr.v = xreallocarray(a->u.arr.v, a->u.arr.alloc, sizeof(*a->u.arr.v));
        }
        a->u.arr.v[a->u.arr.n++] = v;
}

/* ---- keys ---- */

struct key_part {
        char *s;
        size_t len;
        size_t at; /* byte offset in the input, for messages */
};

struct keypath {
        struct key_part *v;
        size_t n, alloc;
};

static void keypath_release(struct keypath *kp)
{
        for (size_t i = 0; i < kp->n; i++)
                free(kp->v[i].s);
        free(kp->v);
}

static bool is_bare_key_char(int c)
{
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Append the key path up to part last to sb, for messages: a."b c".d */
static void keypath_render(struct strbuf *sb, const struct keypath *kp, size_t last)
{
        for (size_t i = 0; i <= last && i < kp->n; i++) {
                const struct key_part *k = &kp->v[i];
                bool bare = k->len > 0;

                for (size_t j = 0; j < k->len; j++)
                        bare = bare && is_bare_key_char((unsigned char)k->s[j]);
                if (sb->len > 0)
                        strbuf_addch(sb, '.');
                if (bare) {
                        strbuf_add(sb, k->s, k->len);
                        continue;
                }
                strbuf_addch(sb, '"');
                for (size_t j = 0; j < k->len; j++) {
                        unsigned char c = (unsigned char)k->s[j];
                        if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
                                strbuf_addf(sb, "\\u%04x", c);
                        else
                                strbuf_addch(sb, c);
                }
                strbuf_addch(sb, '"');
        }
}

static int parse_simple_key(struct toml_parser *p, struct key_part *k)
{
        int c = toml_peek(p, 0);
        size_t n = 0;

        k->at = p->pos;
        if (c == '"' || c == '\'') {
                int r = toml_parse_string(p, false, &p->scratch);
                if (r < 0)
                        return r;
                k->len = p->scratch.len;
                k->s = xmemdup(p->scratch.buf, p->scratch.len + 1);
                return 0;
        }
        while (is_bare_key_char(toml_peek(p, n)))
                n++;
        if (n == 0)
                return toml_fail_unexpected(p, p->pos, "where a key was expected");
        k->s = xstrndup(p->buf + p->pos, n);
        k->len = n;
        p->pos += n;
        return 0;
}

/* simple-key *( ws '.' ws simple-key ); stops after trailing whitespace. */
static int parse_key(struct toml_parser *p, struct keypath *kp)
{
        for (;;) {
                int r;

                if (kp->n >= CPOD_TOML_MAX_DEPTH)
                        return toml_fail(p, p->pos, "key with more than %d parts", CPOD_TOML_MAX_DEPTH);
                if (kp->n == kp->alloc) {
                        kp->alloc = kp->alloc ? kp->alloc * 2 : 4;
                        kp->v = xreallocarray(kp->v, kp->alloc, sizeof(*kp->v));
                }
                r = parse_simple_key(p, &kp->v[kp->n]);
                if (r < 0)
                        return r;
                kp->n++;
                toml_skip_ws(p);
                if (toml_peek(p, 0) != '.')
                        return 0;
                p->pos++;
                toml_skip_ws(p);
        }
}

/* ---- tables ---- */

static const char *kind_name(const struct tnode *n)
{
        static const char *const names[] = {
                [TN_STRING] = "a string",         [TN_INTEGER] = "an integer",
                [TN_FLOAT] = "a float",           [TN_BOOL] = "a boolean",
                [TN_DATETIME] = "a date-time",    [TN_DATETIME_LOCAL] = "a local date-time",
                [TN_DATE_LOCAL] = "a local date", [TN_TIME_LOCAL] = "a local time",
                [TN_ARRAY] = "an array",          [TN_TABLE] = "a table",
        };

        if (n->kind == TN_TABLE && (n->flags & TF_INLINE))
                return "an inline table";
        if (n->kind == TN_ARRAY && (n->flags & TF_AOT))
                return "an array of tables";
        return names[n->kind];
}

/*
 * "<what> '<key>': <why>" at part i of kp, the key shown from the document
 * root: a header's kp is absolute, a dotted key's relative to p->path.
 */
static int fail_key(struct toml_parser *p, bool relative, const struct keypath *kp, size_t i, const char *what,
                    const char *why_fmt, ...) __attribute__((format(printf, 6, 7)));
static int fail_key(struct toml_parser *p, bool relative, const struct keypath *kp, size_t i, const char *what,
                    const char *why_fmt, ...)
{
        _cleanup_strbuf_ struct strbuf key = STRBUF_INIT;
        _cleanup_free_ char *why = NULL;
        va_list ap;

        if (relative)
                strbuf_add(&key, p->path.buf, p->path.len);
        keypath_render(&key, kp, i);
        va_start(ap, why_fmt);
        why = xvasprintf(why_fmt, ap);
        va_end(ap);
        return toml_fail(p, kp->v[i].at, "%s '%s'%s%s", what, key.buf, *why ? ": " : "", why);
}

/*
 * The child table named kp[i] of t, created when missing.  A header path
 * (dotted false) may pass through any non-inline table and into the last
 * element of an array of tables; dotted keys only through tables created
 * implicitly or by dotted keys, which are then marked dotted so that no
 * header can define them later.
 */
static int descend(struct toml_parser *p, struct tnode *t, const struct keypath *kp, size_t i, bool dotted,
                   struct tnode **ret)
{
        struct tnode *c = table_get(t, kp->v[i].s, kp->v[i].len);

        if (!c) {
                c = container_new(p, TN_TABLE, t->depth + 1, dotted ? TF_DOTTED : 0, kp->v[i].at);
                if (!c)
                        return -EINVAL;
                table_add(t, xmemdup(kp->v[i].s, kp->v[i].len + 1), kp->v[i].len, c);
        } else if (!dotted && c->kind == TN_ARRAY && (c->flags & TF_AOT)) {
                c = c->u.arr.v[c->u.arr.n - 1];
        } else if (c->kind != TN_TABLE || (c->flags & TF_INLINE)) {
                return fail_key(p, dotted, kp, i, "cannot add to", "it is %s", kind_name(c));
        } else if (dotted && (c->flags & TF_EXPLICIT)) {
                return fail_key(p, dotted, kp, i, "cannot use dotted keys to add to table",
                                "it is defined by a header");
        } else if (dotted) {
                c->flags |= TF_DOTTED;
        }
        *ret = c;
        return 0;
}

/* [a.b.c]: the table to fill from now on. */
static int define_table(struct toml_parser *p, struct tnode *root, const struct keypath *kp, struct tnode **ret)
{
        struct tnode *t = root, *c;
        size_t last = kp->n - 1;

        for (size_t i = 0; i < last; i++) {
                int r = descend(p, t, kp, i, false, &t);
                if (r < 0)
                        return r;
        }
        c = table_get(t, kp->v[last].s, kp->v[last].len);
        if (!c) {
                int r = descend(p, t, kp, last, false, &c);
                if (r < 0)
                        return r;
        } else if (c->kind != TN_TABLE || (c->flags & TF_INLINE)) {
                return fail_key(p, false, kp, last, "cannot define table", "it is %s", kind_name(c));
        } else if (c->flags & TF_EXPLICIT) {
                return fail_key(p, false, kp, last, "cannot define table", "it is already defined");
        } else if (c->flags & TF_DOTTED) {
                return fail_key(p, false, kp, last, "cannot define table", "it is already defined by dotted keys");
        }
        c->flags |= TF_EXPLICIT;
        *ret = c;
        return 0;
}

/* [[a.b.c]]: append a table to the array a.b.c and fill it from now on. */
static int append_table(struct toml_parser *p, struct tnode *root, const struct keypath *kp, struct tnode **ret)
{
        struct tnode *t = root, *arr, *c;
        size_t last = kp->n - 1;

        for (size_t i = 0; i < last; i++) {
                int r = descend(p, t, kp, i, false, &t);
                if (r < 0)
                        return r;
        }
        arr = table_get(t, kp->v[last].s, kp->v[last].len);
        if (!arr) {
                arr = container_new(p, TN_ARRAY, t->depth + 1, TF_AOT, kp->v[last].at);
                if (!arr)
                        return -EINVAL;
                table_add(t, xmemdup(kp->v[last].s, kp->v[last].len + 1), kp->v[last].len, arr);
        } else if (arr->kind != TN_ARRAY || !(arr->flags & TF_AOT)) {
                return fail_key(p, false, kp, last, "cannot append a table to", "it is %s", kind_name(arr));
        }
        c = container_new(p, TN_TABLE, arr->depth + 1, TF_EXPLICIT, kp->v[last].at);
        if (!c)
                return -EINVAL;
        array_push(arr, c);
        *ret = c;
        return 0;
}

/* ---- values ---- */

static int parse_value(struct toml_parser *p, unsigned depth, struct tnode **ret);
static int parse_keyval(struct toml_parser *p, struct tnode *t);

/* [ values, separated by commas, a trailing one allowed, with comments and newlines anywhere ] */
static int parse_array(struct toml_parser *p, unsigned depth, struct tnode **ret)
{
        _cleanup_(tnode_freep) struct tnode *a = container_new(p, TN_ARRAY, depth, 0, p->pos);
        int r;

        if (!a)
                return -EINVAL;
        p->pos++; /* '[' */
        for (;;) {
                struct tnode *v;

                if ((r = toml_skip_wscn(p)) < 0)
                        return r;
                if (toml_peek(p, 0) == ']')
                        break;
                if ((r = parse_value(p, depth + 1, &v)) < 0)
                        return r;
                array_push(a, v);
                if ((r = toml_skip_wscn(p)) < 0)
                        return r;
                if (toml_peek(p, 0) == ']')
                        break;
                if (toml_peek(p, 0) != ',')
                        return toml_fail_unexpected(p, p->pos, "in array, expected ',' or ']'");
                p->pos++;
        }
        p->pos++; /* ']' */
        *ret = TAKE_PTR(a);
        return 0;
}

/* { key = value, ... } on one line, no trailing comma; complete once closed. */
static int parse_inline_table(struct toml_parser *p, unsigned depth, struct tnode **ret)
{
        _cleanup_(tnode_freep) struct tnode *t = container_new(p, TN_TABLE, depth, 0, p->pos);
        int r;

        if (!t)
                return -EINVAL;
        p->pos++; /* '{' */
        toml_skip_ws(p);
        while (toml_peek(p, 0) != '}') {
                if ((r = parse_keyval(p, t)) < 0)
                        return r;
                toml_skip_ws(p);
                if (toml_peek(p, 0) == '}')
                        break;
                if (toml_peek(p, 0) != ',')
                        return toml_fail_unexpected(p, p->pos, "in inline table, expected ',' or '}'");
                p->pos++;
                toml_skip_ws(p);
                if (toml_peek(p, 0) == '}')
                        return toml_fail(p, p->pos, "trailing comma in inline table");
        }
        p->pos++; /* '}' */
        t->flags |= TF_INLINE;
        *ret = TAKE_PTR(t);
        return 0;
}

static int parse_value(struct toml_parser *p, unsigned depth, struct tnode **ret)
{
        _cleanup_(tnode_freep) struct tnode *n = NULL;
        int c = toml_peek(p, 0), r;

        if (c == '[')
                return parse_array(p, depth, ret);
        if (c == '{')
                return parse_inline_table(p, depth, ret);
        n = xnew0(struct tnode, 1);
        if (c == '"' || c == '\'') {
                r = toml_parse_string(p, true, &p->scratch);
                if (r < 0)
                        return r;
                n->kind = TN_STRING;
                n->u.str.len = p->scratch.len;
                n->u.str.s = xmemdup(p->scratch.buf, p->scratch.len + 1);
        } else {
                n->kind = TN_STRING; /* nothing to free until the scalar parser sets the kind */
                r = toml_parse_scalar(p, n);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(n);
        return 0;
}

/* key = value, into table t (the current [table] or an inline table being built). */
static int parse_keyval(struct toml_parser *p, struct tnode *t)
{
        _cleanup_(keypath_release) struct keypath kp = { 0 };
        size_t path_len = p->path.len;
        struct key_part *last;
        struct tnode *v;
        int r;

        if ((r = parse_key(p, &kp)) < 0)
                return r;
        if (toml_peek(p, 0) != '=')
                return toml_fail_unexpected(p, p->pos, "after key, expected '='");
        p->pos++;
        toml_skip_ws(p);
        for (size_t i = 0; i + 1 < kp.n; i++)
                if ((r = descend(p, t, &kp, i, true, &t)) < 0)
                        return r;
        last = &kp.v[kp.n - 1];
        if (table_get(t, last->s, last->len))
                return fail_key(p, true, &kp, kp.n - 1, "duplicate key", "%s", "");
        if (toml_peek(p, 0) == '{' || toml_peek(p, 0) == '[') /* name the inline table in messages */
                keypath_render(&p->path, &kp, kp.n - 1);
        r = parse_value(p, t->depth + 1, &v);
        strbuf_setlen(&p->path, path_len);
        if (r < 0)
                return r;
        table_add(t, TAKE_PTR(last->s), last->len, v);
        return 0;
}

/* ---- document ---- */

/* [key] or [[key]]; *cur becomes the table that the following key/values fill. */
static int parse_header(struct toml_parser *p, struct tnode *root, struct tnode **cur)
{
        _cleanup_(keypath_release) struct keypath kp = { 0 };
        bool aot = toml_peek(p, 1) == '[';
        int r;

        p->pos += aot ? 2 : 1;
        toml_skip_ws(p);
        if ((r = parse_key(p, &kp)) < 0)
                return r;
        if (toml_peek(p, 0) != ']')
                return toml_fail_unexpected(p, p->pos,
                                            aot ? "in table header, expected ']]'" : "in table header, expected ']'");
        if (aot && toml_peek(p, 1) != ']')
                return toml_fail_unexpected(p, p->pos + 1, "in table header, expected ']]'");
        p->pos += aot ? 2 : 1;
        r = aot ? append_table(p, root, &kp, cur) : define_table(p, root, &kp, cur);
        if (r < 0)
                return r;
        strbuf_reset(&p->path);
        keypath_render(&p->path, &kp, kp.n - 1);
        return toml_expect_eol(p, "after table header");
}

static int parse_document(struct toml_parser *p, struct tnode *root)
{
        struct tnode *cur = root;

        if (p->len >= 3 && memcmp(p->buf, "\xef\xbb\xbf", 3) == 0)
                p->pos = 3; /* byte order mark, as skipped by podman's parser */
        for (;;) {
                int c, r = 0;

                toml_skip_ws(p);
                c = toml_peek(p, 0);
                if (c < 0)
                        return 0;
                if (c == '#')
                        r = toml_skip_comment(p);
                else if (toml_newline(p))
                        continue;
                else if (c == '[')
                        r = parse_header(p, root, &cur);
                else if ((r = parse_keyval(p, cur)) >= 0)
                        r = toml_expect_eol(p, "after value");
                if (r < 0)
                        return r;
        }
}

/* ---- conversion to JSON ---- */

/* jansson returns NULL only when out of memory (all text is validated UTF-8). */
static json_t *jcheck(json_t *j)
{
        if (!j)
                abort();
        return j;
}

/* Shortest text that reads back as d; needs the C locale in effect. */
static char *format_float(double d)
{
        char *s;

        if (isnan(d))
                return xstrdup("nan");
        if (isinf(d))
                return xstrdup(d < 0 ? "-inf" : "inf");
        for (int prec = 1;; prec++) {
                s = xasprintf("%.*g", prec, d);
                if (prec >= 17 || strtod(s, NULL) == d)
                        break;
                free(s);
        }
        if (!strpbrk(s, ".en")) { /* keep it a float: "1" -> "1.0" */
                char *t = xasprintf("%s.0", s);
                free(s);
                s = t;
        }
        return s;
}

static json_t *scalar_tagged(const struct tnode *n)
{
        static const char *const types[] = {
                [TN_STRING] = "string",         [TN_INTEGER] = "integer",
                [TN_FLOAT] = "float",           [TN_BOOL] = "bool",
                [TN_DATETIME] = "datetime",     [TN_DATETIME_LOCAL] = "datetime-local",
                [TN_DATE_LOCAL] = "date-local", [TN_TIME_LOCAL] = "time-local",
        };
        _cleanup_free_ char *text = NULL;
        json_t *value;

        if (n->kind == TN_INTEGER)
                text = xasprintf("%" PRId64, n->u.i);
        else if (n->kind == TN_FLOAT)
                text = format_float(n->u.f);
        if (n->kind == TN_BOOL)
                value = jcheck(json_string(n->u.b ? "true" : "false"));
        else if (text)
                value = jcheck(json_string(text));
        else
                value = jcheck(json_stringn(n->u.str.s, n->u.str.len));
        return jcheck(json_pack("{s:s, s:o}", "type", types[n->kind], "value", value));
}

static json_t *scalar_plain(const struct tnode *n)
{
        switch (n->kind) {
        case TN_INTEGER:
                return jcheck(json_integer(n->u.i));
        case TN_FLOAT:
                if (isnan(n->u.f))
                        return jcheck(json_string("nan"));
                if (isinf(n->u.f))
                        return jcheck(json_string(n->u.f < 0 ? "-inf" : "inf"));
                return jcheck(json_real(n->u.f));
        case TN_BOOL:
                return json_boolean(n->u.b);
        default:
                return jcheck(json_stringn(n->u.str.s, n->u.str.len));
        }
}

/* Recursion depth is bounded by CPOD_TOML_MAX_DEPTH. */
static json_t *tnode_to_json(const struct tnode *n, bool tagged)
{
        json_t *j;

        if (n->kind == TN_TABLE) {
                j = jcheck(json_object());
                for (size_t i = 0; i < n->u.tab.n; i++) {
                        const struct tentry *e = &n->u.tab.v[i];
                        if (json_object_setn_new(j, e->key, e->klen, tnode_to_json(e->val, tagged)) < 0)
                                abort();
                }
                return j;
        }
        if (n->kind == TN_ARRAY) {
                j = jcheck(json_array());
                for (size_t i = 0; i < n->u.arr.n; i++)
                        if (json_array_append_new(j, tnode_to_json(n->u.arr.v[i], tagged)) < 0)
                                abort();
                return j;
        }
        return tagged ? scalar_tagged(n) : scalar_plain(n);
}

/* ---- API ---- */

static json_t *parse(const char *buf, size_t len, const char *filename, bool tagged, cpod_error_t *err)
{
        struct toml_parser p = {
                .buf = buf ? buf : "",
                .len = buf ? len : 0,
                .filename = filename ? filename : "<input>",
                .err = err,
                .scratch = STRBUF_INIT,
                .path = STRBUF_INIT,
        };
        struct tnode *root = xnew0(struct tnode, 1);
        json_t *j = NULL;
        int r;

        root->kind = TN_TABLE;
        r = toml_check_utf8(&p);
        if (r >= 0)
                r = parse_document(&p, root);
        if (r >= 0 && tagged && !p.c_locale && !(p.c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0)))
                r = cpod_error_sys(err, errno, "create the C locale");
        if (r >= 0 && tagged) {
                /* format_float() must not print a decimal comma; uselocale() is per thread. */
                locale_t old = uselocale(p.c_locale);
                j = tnode_to_json(root, true);
                (void)uselocale(old);
        } else if (r >= 0) {
                j = tnode_to_json(root, false);
        }
        tnode_free(root);
        strbuf_release(&p.scratch);
        strbuf_release(&p.path);
        if (p.c_locale)
                freelocale(p.c_locale);
        return j;
}

json_t *cpod_toml_parse(const char *buf, size_t len, const char *filename, cpod_error_t *err)
{
        return parse(buf, len, filename, false, err);
}

json_t *cpod_toml_parse_tagged(const char *buf, size_t len, const char *filename, cpod_error_t *err)
{
        return parse(buf, len, filename, true, err);
}

json_t *cpod_toml_parse_file(const char *path, cpod_error_t *err)
{
        _cleanup_free_ char *buf = NULL;
        size_t len;

        if (read_file(path, &buf, &len, CPOD_TOML_MAX_FILE_SIZE, err) < 0)
                return NULL;
        return cpod_toml_parse(buf, len, path, err);
}
