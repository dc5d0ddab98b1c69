/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Walks the parse tree over a JSON value, Go text/template style.  Every
 * evaluation returns a new reference (json_decref when done); dot is
 * borrowed from whoever holds it.  Work is metered: each node, iteration
 * and function call costs a step, output and produced strings cost a step
 * per 64 bytes, and the output may not pass max_output, so templates like
 * nested ranges over a large list fail with an error instead of running for
 * hours.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/cleanup.h"
#include "format/gofmt.h"
#include "format/template-private.h"
#include "util/xalloc.h"

enum flow { FLOW_OK = 0, FLOW_ERR = -1, FLOW_BREAK = 1, FLOW_CONTINUE = 2 };

struct exec_state {
        struct exec ex;
        size_t out_start, out_limit;
        size_t hi; /* slots at or above hi are all NULL */
};

#define STATE(ex) ((struct exec_state *)(ex))

json_t *exec_fail(struct exec *ex, size_t pos, size_t end, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int line, col;
        size_t n = end > pos ? end - pos : 0;

        if (ex->failed)
                return NULL;
        ex->failed = true;
        va_start(ap, fmt);
        msg = xvasprintf(fmt, ap);
        va_end(ap);
        tmpl_position(ex->t, pos, &line, &col);
        if (n)
                cpod_error_set(ex->err, EINVAL, CPOD_E_INVALID, "template: %d:%d: executing at <%.*s%s>: %s", line, col,
                               (int)(n > 40 ? 40 : n), ex->t->src + pos, n > 40 ? "..." : "", msg);
        else
                cpod_error_set(ex->err, EINVAL, CPOD_E_INVALID, "template: %d:%d: %s", line, col, msg);
        return NULL;
}

bool exec_charge(struct exec *ex, uint64_t units, size_t pos)
{
        ex->steps += units;
        if (ex->steps <= ex->t->max_steps)
                return true;
        exec_fail(ex, pos, pos, "template execution stopped after %llu steps", (unsigned long long)ex->t->max_steps);
        return false;
}

static bool emit(struct exec *ex, const char *s, size_t n, size_t pos)
{
        struct exec_state *st = STATE(ex);

        if (n > st->out_limit || ex->out->len > st->out_limit - n) {
                exec_fail(ex, pos, pos, "template output exceeds %zu bytes", ex->t->max_output);
                return false;
        }
        strbuf_add(ex->out, s, n);
        return exec_charge(ex, n / 64, pos);
}

static bool print_value(struct exec *ex, const json_t *v, size_t pos)
{
        struct exec_state *st = STATE(ex);
        size_t before = ex->out->len;

        if (json_is_null(v))
                return emit(ex, "<no value>", 10, pos);
        if (gofmt_value(ex->out, v, st->out_limit) < 0) {
                exec_fail(ex, pos, pos, "template output exceeds %zu bytes", ex->t->max_output);
                return false;
        }
        return exec_charge(ex, (ex->out->len - before) / 64, pos);
}

bool tmpl_truth(const json_t *v)
{
        switch (json_typeof(v)) {
        case JSON_TRUE:
                return true;
        case JSON_INTEGER:
                return json_integer_value(v) != 0;
        case JSON_REAL:
                return json_real_value(v) != 0;
        case JSON_STRING:
                return json_string_length(v) > 0;
        case JSON_ARRAY:
                return json_array_size(v) > 0;
        case JSON_OBJECT:
                return json_object_size(v) > 0;
        default:
                return false;
        }
}

static void set_var(struct exec *ex, size_t slot, json_t *v)
{
        struct exec_state *st = STATE(ex);

        json_decref(ex->vars[slot]);
        ex->vars[slot] = json_incref(v);
        if (slot >= st->hi)
                st->hi = slot + 1;
}

/* Forget the variables of a scope being left: every slot from `from` up. */
static void clear_vars(struct exec *ex, size_t from)
{
        struct exec_state *st = STATE(ex);

        for (size_t i = from; i < st->hi; i++) {
                json_decref(ex->vars[i]);
                ex->vars[i] = NULL;
        }
        if (st->hi > from)
                st->hi = from;
}

/* A Go struct has exported, upper-case field names; a map may have any keys. */
static bool looks_like_struct(const json_t *obj)
{
        const char *k;
        json_t *v;

        if (json_object_size(obj) == 0)
                return false;
        json_object_foreach((json_t *)obj, k, v)
                if (k[0] < 'A' || k[0] > 'Z')
                        return false;
        return true;
}

/*
 * A field missing under its exact name: podman's Go structs name some fields differently from their
 * JSON keys (ID and "Id"), and templates use either.  The one key equal but for case stands in.
 */
static json_t *get_field_fold(json_t *obj, const char *name)
{
        const char *k;
        json_t *v, *found = NULL;

        json_object_foreach(obj, k, v) {
                if (strcasecmp(k, name) != 0)
                        continue;
                if (found)
                        return NULL; /* ambiguous */
                found = v;
        }
        return found;
}

/* Follow a->fields from recv (owned, consumed). */
static json_t *eval_fields(struct exec *ex, const struct arg *a, json_t *recv)
{
        for (size_t i = 0; i < a->nfields && recv; i++) {
                const char *name = a->fields[i];
                json_t *v = NULL;

                if (json_is_object(recv)) {
                        v = json_incref(json_object_get(recv, name));
                        if (!v && name[0] >= 'A' && name[0] <= 'Z' && looks_like_struct(recv))
                                v = json_incref(get_field_fold(recv, name));
                        if (!v && !(ex->flags & CPOD_TMPL_LAX_FIELDS) && name[0] >= 'A' && name[0] <= 'Z' &&
                            looks_like_struct(recv))
                                exec_fail(ex, a->pos, a->end, "can't evaluate field %s", name);
                        else if (!v)
                                v = json_null();
                } else if (json_is_null(recv)) {
                        v = json_null();
                } else {
                        exec_fail(ex, a->pos, a->end, "can't evaluate field %s in type %s", name,
                                  json_is_string(recv)    ? "string"
                                  : json_is_integer(recv) ? "int"
                                  : json_is_real(recv)    ? "float64"
                                  : json_is_array(recv)   ? "[]interface {}"
                                                          : "bool");
                }
                json_decref(recv);
                recv = v;
        }
        return recv;
}

static json_t *eval_pipe(struct exec *ex, const struct pipe *pp, json_t *dot);

json_t *exec_arg(struct exec *ex, const struct arg *a, json_t *dot)
{
        json_t *v = NULL;

        switch (a->kind) {
        case A_DOT:
                return json_incref(dot);
        case A_NIL:
                return json_null();
        case A_LITERAL:
                return json_incref(a->value);
        case A_FIELD:
                return eval_fields(ex, a, json_incref(dot));
        case A_VAR:
                v = json_incref(ex->vars[a->slot]);
                if (!v)
                        return exec_fail(ex, a->pos, a->end, "undefined variable");
                break;
        case A_FUNC:
                v = tmpl_call_fn(ex, a->fn, NULL, 0, a->pos, a->end, dot);
                break;
        case A_PIPE:
                v = eval_pipe(ex, a->pipe, dot);
                break;
        }
        return v ? eval_fields(ex, a, v) : NULL;
}

static json_t *eval_cmd(struct exec *ex, const struct cmd *c, json_t *dot, json_t *final)
{
        const struct arg *first = c->args[0];

        if (!exec_charge(ex, 1, c->pos))
                return NULL;
        if (first->kind == A_FUNC && first->nfields == 0)
                return tmpl_call(ex, c, 1, dot, final);
        if (first->kind == A_NIL)
                return exec_fail(ex, c->pos, c->end, "nil is not a command");
        if (c->nargs > 1 || final)
                return exec_fail(ex, c->pos, c->end, "can't give argument to non-function %.*s",
                                 (int)(first->end - first->pos), ex->t->src + first->pos);
        return exec_arg(ex, first, dot);
}

static json_t *eval_pipe(struct exec *ex, const struct pipe *pp, json_t *dot)
{
        json_t *v = NULL;

        for (size_t i = 0; i < pp->ncmds; i++) {
                json_t *next = eval_cmd(ex, pp->cmds[i], dot, v);
                json_decref(v);
                v = next;
                if (!v)
                        return NULL;
        }
        for (size_t i = 0; i < pp->ndecl; i++)
                set_var(ex, pp->decl[i], v);
        return v;
}

static enum flow exec_node(struct exec *ex, const struct node *n, json_t *dot);

static enum flow exec_list(struct exec *ex, const struct node *n, json_t *dot)
{
        for (size_t i = 0; i < n->nitems; i++) {
                enum flow f = exec_node(ex, n->items[i], dot);
                if (f != FLOW_OK)
                        return f;
        }
        return FLOW_OK;
}

static enum flow exec_if_with(struct exec *ex, const struct node *n, json_t *dot)
{
        json_t *v = eval_pipe(ex, n->pipe, dot);
        enum flow f = FLOW_OK;

        if (!v)
                return FLOW_ERR;
        if (tmpl_truth(v))
                f = exec_list(ex, n->list, n->kind == N_WITH ? v : dot);
        else if (n->else_list)
                f = exec_list(ex, n->else_list, dot);
        json_decref(v);
        clear_vars(ex, n->var_base);
        return f;
}

/* One pass of a range body; FLOW_BREAK and FLOW_CONTINUE are the loop's business. */
static enum flow range_once(struct exec *ex, const struct node *n, json_t *key, json_t *elem)
{
        enum flow f;

        if (!exec_charge(ex, 1, n->pos)) {
                json_decref(key);
                return FLOW_ERR;
        }
        if (n->pipe->ndecl == 1) {
                set_var(ex, n->pipe->decl[0], elem);
        } else if (n->pipe->ndecl == 2) {
                set_var(ex, n->pipe->decl[0], key);
                set_var(ex, n->pipe->decl[1], elem);
        }
        json_decref(key);
        f = exec_list(ex, n->list, elem);
        clear_vars(ex, n->body_base);
        return f;
}

static int cmp_keys(const void *a, const void *b)
{
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static enum flow range_object(struct exec *ex, const struct node *n, json_t *obj)
{
        size_t count = json_object_size(obj), i = 0;
        _cleanup_free_ const char **keys = xnew0(const char *, count + 1);
        enum flow f = FLOW_OK;
        const char *k;
        json_t *e;

        json_object_foreach(obj, k, e)
                keys[i++] = k;
        qsort(keys, count, sizeof(*keys), cmp_keys);
        for (i = 0; i < count; i++) {
                f = range_once(ex, n, json_string_nocheck(keys[i]), json_object_get(obj, keys[i]));
                if (f == FLOW_ERR || f == FLOW_BREAK)
                        break;
        }
        return f == FLOW_ERR ? FLOW_ERR : FLOW_OK;
}

static enum flow range_array(struct exec *ex, const struct node *n, json_t *arr)
{
        enum flow f = FLOW_OK;

        for (size_t i = 0; i < json_array_size(arr); i++) {
                f = range_once(ex, n, json_integer((json_int_t)i), json_array_get(arr, i));
                if (f == FLOW_ERR || f == FLOW_BREAK)
                        break;
        }
        return f == FLOW_ERR ? FLOW_ERR : FLOW_OK;
}

static enum flow exec_range(struct exec *ex, const struct node *n, json_t *dot)
{
        json_t *v = eval_pipe(ex, n->pipe, dot);
        enum flow f = FLOW_OK;

        if (!v)
                return FLOW_ERR;
        if (json_is_array(v) && json_array_size(v) > 0) {
                f = range_array(ex, n, v);
        } else if (json_is_object(v) && json_object_size(v) > 0) {
                f = range_object(ex, n, v);
        } else if (json_is_array(v) || json_is_object(v) || json_is_null(v)) {
                if (n->else_list)
                        f = exec_list(ex, n->else_list, dot);
        } else {
                struct strbuf sb = STRBUF_INIT;
                (void)gofmt_value(&sb, v, 64);
                exec_fail(ex, n->pipe->pos, n->pipe->end, "range can't iterate over %s", sb.buf);
                strbuf_release(&sb);
                f = FLOW_ERR;
        }
        json_decref(v);
        clear_vars(ex, n->var_base);
        return f;
}

static enum flow exec_node(struct exec *ex, const struct node *n, json_t *dot)
{
        json_t *v;
        bool ok;

        if (!exec_charge(ex, 1, n->pos))
                return FLOW_ERR;
        switch (n->kind) {
        case N_LIST:
                return exec_list(ex, n, dot);
        case N_TEXT:
                return emit(ex, n->text, n->text_len, n->pos) ? FLOW_OK : FLOW_ERR;
        case N_ACTION:
                v = eval_pipe(ex, n->pipe, dot);
                if (!v)
                        return FLOW_ERR;
                ok = n->pipe->ndecl > 0 || print_value(ex, v, n->pos);
                json_decref(v);
                return ok ? FLOW_OK : FLOW_ERR;
        case N_IF:
        case N_WITH:
                return exec_if_with(ex, n, dot);
        case N_RANGE:
                return exec_range(ex, n, dot);
        case N_BREAK:
                return FLOW_BREAK;
        case N_CONTINUE:
                return FLOW_CONTINUE;
        }
        return FLOW_ERR;
}

int cpod_tmpl_exec_flags(const struct cpod_tmpl *t, json_t *data, unsigned flags, struct strbuf *out, cpod_error_t *err)
{
        struct exec_state st = { .out_start = out->len };
        struct exec *ex = &st.ex;
        enum flow f;

        ex->t = t;
        ex->out = out;
        ex->flags = flags;
        ex->err = err;
        ex->vars = xnew0(json_t *, t->nslots ? t->nslots : 1);
        st.out_limit = out->len + t->max_output;
        if (!data)
                data = json_null();
        set_var(ex, 0, data);
        f = exec_node(ex, t->root, data);
        clear_vars(ex, 0);
        free(ex->vars);
        if (f == FLOW_ERR || ex->failed) {
                if (!ex->failed)
                        cpod_error_set(err, EINVAL, CPOD_E_INVALID, "template: execution failed");
                strbuf_setlen(out, st.out_start);
                return cpod_error_rc(err, -EINVAL);
        }
        return 0;
}

int cpod_tmpl_exec(const struct cpod_tmpl *t, json_t *data, struct strbuf *out, cpod_error_t *err)
{
        return cpod_tmpl_exec_flags(t, data, 0, out, err);
}

size_t tmpl_out_limit(const struct exec *ex)
{
        return ex->t->max_output;
}
