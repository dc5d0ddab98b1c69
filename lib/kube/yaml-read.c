/* SPDX-License-Identifier: Apache-2.0 */
/*
 * YAML to JSON over libyaml's event parser.  Threat model: the file comes
 * from anywhere (kube play of a download).  The reader holds the whole
 * input in memory, so its size is capped first; recursion follows the
 * nesting and is capped by YAML_MAX_DEPTH; an alias copies its anchor's
 * value, so the nodes copied are counted against YAML_MAX_ALIAS_NODES over
 * the whole stream: a "billion laughs" file stops at the limit after a
 * bounded amount of work and memory.  Anchors are registered only when
 * their node is complete, so a node cannot contain itself.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "kube/yaml-read.h"
#include "util/shims.h"

#include "util/xalloc.h"

struct anchor {
        char *name;
        json_t *value;
        size_t nodes;
};

struct reader {
        yaml_parser_t p;
        const char *name;
        struct anchor *anchors;
        size_t n_anchors;
        size_t alias_nodes;
        cpod_error_t *err;
};

static int fail_at(struct reader *r, const yaml_mark_t *m, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail_at(struct reader *r, const yaml_mark_t *m, const char *fmt, ...)
{
        va_list ap;
        char *msg;
        int rc;

        va_start(ap, fmt);
        msg = xvasprintf(fmt, ap);
        va_end(ap);
        rc = cpod_error_set(r->err, EINVAL, CPOD_E_INVALID, "%s%syaml: line %zu, column %zu: %s",
                            r->name ? r->name : "", r->name ? ": " : "", m->line + 1, m->column + 1, msg);
        free(msg);
        return rc;
}

static int next(struct reader *r, yaml_event_t *ev)
{
        if (yaml_parser_parse(&r->p, ev))
                return 0;
        return fail_at(r, &r->p.problem_mark, "%s%s%s", r->p.problem ? r->p.problem : "syntax error",
                       r->p.context ? " " : "", r->p.context ? r->p.context : "");
}

static void anchors_clear(struct reader *r)
{
        for (size_t i = 0; i < r->n_anchors; i++) {
                free(r->anchors[i].name);
                json_decref(r->anchors[i].value);
        }
        free(r->anchors);
        r->anchors = NULL;
        r->n_anchors = 0;
}

static void anchor_add(struct reader *r, const yaml_char_t *name, json_t *v, size_t nodes)
{
        if (!name)
                return;
        r->anchors = xrealloc(r->anchors, (r->n_anchors + 1) * sizeof(*r->anchors));
        r->anchors[r->n_anchors++] = (struct anchor){ xstrdup((const char *)name), json_incref(v), nodes };
}

static const struct anchor *anchor_find(struct reader *r, const yaml_char_t *name)
{
        for (size_t i = r->n_anchors; i-- > 0;)
                if (strcmp(r->anchors[i].name, (const char *)name) == 0)
                        return &r->anchors[i];
        return NULL;
}

static bool is_one_of(const char *s, const char *const *list)
{
        for (; *list; list++)
                if (strcmp(s, *list) == 0)
                        return true;
        return false;
}

/* An integer as Go's strconv.ParseInt(s, 0, 64) reads it, underscores removed. */
static bool parse_int(const char *s, json_int_t *ret)
{
        char buf[72], *end, *d = buf;
        const char *digits;
        int base = 10;
        bool neg = false;
        long long v;

        if (strlen(s) >= sizeof(buf))
                return false;
        for (; *s; s++)
                if (*s != '_')
                        *d++ = *s;
        *d = '\0';
        digits = buf;
        if (*digits == '-' || *digits == '+')
                neg = *digits++ == '-';
        if (digits[0] == '0' && (digits[1] == 'b' || digits[1] == 'B'))
                base = 2, digits += 2;
        else if (digits[0] == '0' && (digits[1] == 'o' || digits[1] == 'O'))
                base = 8, digits += 2;
        else if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
                base = 16, digits += 2;
        else if (digits[0] == '0' && digits[1])
                base = 8, digits += 1;
        if (!*digits || !strchr("0123456789abcdefABCDEF", *digits))
                return false;
        errno = 0;
        v = strtoll(digits, &end, base);
        if (*end || errno)
                return false;
        *ret = neg ? -v : v;
        return true;
}

static bool parse_float(const char *s, double *ret)
{
        char *end;

        if (!*s || strspn(s, "0123456789.eE+-") != strlen(s) || !strpbrk(s, "0123456789"))
                return false;
        errno = 0;
        *ret = strtod(s, &end);
        return !*end && !errno;
}

static json_t *resolve_scalar(const yaml_event_t *ev)
{
        static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
        static const char *const trues[] = { "y",    "Y",    "yes", "Yes", "YES", "true",
                                             "True", "TRUE", "on",  "On",  "ON",  NULL };
        static const char *const falses[] = { "n",     "N",     "no",  "No",  "NO",  "false",
                                              "False", "FALSE", "off", "Off", "OFF", NULL };
        const char *s = (const char *)ev->data.scalar.value, *tag = (const char *)ev->data.scalar.tag;
        json_int_t i;
        double f;

        if ((tag && strcmp(tag, YAML_STR_TAG) == 0) || ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
                return json_stringn(s, ev->data.scalar.length);
        if (is_one_of(s, nulls))
                return json_null();
        if (is_one_of(s, trues))
                return json_true();
        if (is_one_of(s, falses))
                return json_false();
        if (parse_int(s, &i))
                return json_integer(i);
        if (parse_float(s, &f))
                return json_real(f);
        return json_stringn(s, ev->data.scalar.length);
}

static int parse_node(struct reader *r, yaml_event_t *ev, int depth, json_t **ret, size_t *ret_nodes);

static int parse_sequence(struct reader *r, int depth, json_t *out, size_t *nodes)
{
        for (;;) {
                yaml_event_t ev;
                json_t *v;
                size_t n;
                int rc;

                if ((rc = next(r, &ev)) < 0)
                        return rc;
                if (ev.type == YAML_SEQUENCE_END_EVENT) {
                        yaml_event_delete(&ev);
                        return 0;
                }
                rc = parse_node(r, &ev, depth, &v, &n);
                yaml_event_delete(&ev);
                if (rc < 0)
                        return rc;
                json_array_append_new(out, v);
                *nodes += n;
        }
}

/* "<<: *base" (or a list of them): keys of the merged mappings that the mapping does not set itself. */
static int merge_into(struct reader *r, const yaml_mark_t *m, json_t *out, json_t *v)
{
        const char *k;
        json_t *x;
        size_t i;

        if (json_is_array(v)) {
                json_array_foreach(v, i, x)
                        if (merge_into(r, m, out, x) < 0)
                                return -EINVAL;
                return 0;
        }
        if (!json_is_object(v))
                return fail_at(r, m, "map merge requires map or sequence of maps as the value");
        json_object_foreach(v, k, x)
                if (!json_object_get(out, k))
                        json_object_set(out, k, x);
        return 0;
}

static int parse_pair(struct reader *r, yaml_event_t *key, int depth, json_t *out, size_t *nodes)
{
        yaml_event_t ev;
        json_t *v;
        size_t n;
        const char *k = (const char *)key->data.scalar.value;
        bool merge = key->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && strcmp(k, "<<") == 0;
        int rc;

        if ((rc = next(r, &ev)) < 0)
                return rc;
        rc = parse_node(r, &ev, depth, &v, &n);
        yaml_event_delete(&ev);
        if (rc < 0)
                return rc;
        *nodes += n;
        if (merge)
                rc = merge_into(r, &key->start_mark, out, v);
        else if (json_object_get(out, k))
                rc = fail_at(r, &key->start_mark, "mapping key \"%s\" already defined", k);
        else if (strlen(k) != key->data.scalar.length)
                rc = fail_at(r, &key->start_mark, "mapping key contains a NUL character");
        else
                json_object_set(out, k, v);
        json_decref(v);
        return rc;
}

static int parse_mapping(struct reader *r, int depth, json_t *out, size_t *nodes)
{
        for (;;) {
                yaml_event_t key;
                int rc;

                if ((rc = next(r, &key)) < 0)
                        return rc;
                if (key.type == YAML_MAPPING_END_EVENT) {
                        yaml_event_delete(&key);
                        return 0;
                }
                if (key.type != YAML_SCALAR_EVENT)
                        rc = fail_at(r, &key.start_mark, "mapping keys must be scalars");
                else
                        rc = parse_pair(r, &key, depth, out, nodes);
                yaml_event_delete(&key);
                if (rc < 0)
                        return rc;
        }
}

static int parse_alias(struct reader *r, yaml_event_t *ev, json_t **ret, size_t *ret_nodes)
{
        const struct anchor *a = anchor_find(r, ev->data.alias.anchor);

        if (!a)
                return fail_at(r, &ev->start_mark, "unknown anchor '%s' referenced", ev->data.alias.anchor);
        if (a->nodes > YAML_MAX_ALIAS_NODES - r->alias_nodes)
                return fail_at(r, &ev->start_mark, "aliases expand to more than %d nodes", YAML_MAX_ALIAS_NODES);
        r->alias_nodes += a->nodes;
        *ret = json_deep_copy(a->value);
        *ret_nodes = a->nodes;
        return 0;
}

static int parse_node(struct reader *r, yaml_event_t *ev, int depth, json_t **ret, size_t *ret_nodes)
{
        const yaml_char_t *anchor = NULL;
        size_t nodes = 1;
        json_t *v;
        int rc = 0;

        switch (ev->type) {
        case YAML_ALIAS_EVENT:
                return parse_alias(r, ev, ret, ret_nodes);
        case YAML_SCALAR_EVENT:
                anchor = ev->data.scalar.anchor;
                v = resolve_scalar(ev);
                break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
                if (depth >= YAML_MAX_DEPTH)
                        return fail_at(r, &ev->start_mark, "nesting deeper than %d levels", YAML_MAX_DEPTH);
                if (ev->type == YAML_SEQUENCE_START_EVENT) {
                        anchor = ev->data.sequence_start.anchor;
                        v = json_array();
                        rc = parse_sequence(r, depth + 1, v, &nodes);
                } else {
                        anchor = ev->data.mapping_start.anchor;
                        v = json_object();
                        rc = parse_mapping(r, depth + 1, v, &nodes);
                }
                break;
        default:
                return fail_at(r, &ev->start_mark, "unexpected event");
        }
        if (!v || rc < 0) {
                json_decref(v);
                return rc < 0 ? rc : fail_at(r, &ev->start_mark, "invalid scalar");
        }
        anchor_add(r, anchor, v, nodes);
        *ret = v;
        *ret_nodes = nodes;
        return 0;
}

/* One document after its DOCUMENT_START: its root (NULL when empty) and the DOCUMENT_END. */
static int parse_document(struct reader *r, json_t **ret)
{
        yaml_event_t ev;
        json_t *v = NULL;
        size_t n;
        int rc;

        if ((rc = next(r, &ev)) < 0)
                return rc;
        if (ev.type != YAML_DOCUMENT_END_EVENT) {
                rc = parse_node(r, &ev, 0, &v, &n);
                yaml_event_delete(&ev);
                if (rc < 0)
                        return rc;
                if ((rc = next(r, &ev)) < 0) {
                        json_decref(v);
                        return rc;
                }
        }
        yaml_event_delete(&ev);
        anchors_clear(r);
        *ret = v;
        return 0;
}

static int parse_stream(struct reader *r, json_t *docs)
{
        for (;;) {
                yaml_event_t ev;
                json_t *doc;
                int rc;

                if ((rc = next(r, &ev)) < 0)
                        return rc;
                yaml_event_type_t t = ev.type;
                yaml_event_delete(&ev);
                if (t == YAML_STREAM_END_EVENT)
                        return 0;
                if (t != YAML_DOCUMENT_START_EVENT && t != YAML_STREAM_START_EVENT)
                        return fail_at(r, &r->p.mark, "unexpected event");
                if (t == YAML_STREAM_START_EVENT)
                        continue;
                if ((rc = parse_document(r, &doc)) < 0)
                        return rc;
                if (doc && !json_is_null(doc))
                        json_array_append_new(docs, doc);
                else
                        json_decref(doc);
        }
}

int yaml_read_all(const char *data, size_t len, const char *name, json_t **ret, cpod_error_t *err)
{
        struct reader r = { .name = name, .err = err };
        json_t *docs;
        int rc;

        if (len > YAML_MAX_SIZE)
                return cpod_error_set(err, EFBIG, CPOD_E_INVALID,
                                      "%s%syaml: input of %zu bytes is larger than %d bytes", name ? name : "",
                                      name ? ": " : "", len, YAML_MAX_SIZE);
        if (yaml_shim_open(err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (!yaml_parser_initialize(&r.p))
                return cpod_error_set(err, ENOMEM, CPOD_E_INTERNAL, "yaml: cannot initialize the parser");
        yaml_parser_set_input_string(&r.p, (const unsigned char *)data, len);
        docs = json_array();
        rc = parse_stream(&r, docs);
        anchors_clear(&r);
        yaml_parser_delete(&r.p);
        if (rc < 0) {
                json_decref(docs);
                return rc;
        }
        *ret = docs;
        return 0;
}
