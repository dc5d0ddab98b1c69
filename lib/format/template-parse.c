/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Recursive descent over the tokens, shaped like Go's text/template/parse
 * so that the same templates are accepted and rejected.  Variables are
 * resolved here to slots: a variable's slot is its depth on the scope stack,
 * which is the same at run time, so execution indexes an array instead of
 * searching names.  Nesting is bounded (CPOD_TMPL_MAX_DEPTH) so neither the
 * parser nor the executor can recurse without limit.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "format/template-private.h"
#include "format/utf8.h"
#include "util/xalloc.h"

struct parser {
        struct lexer lx;
        struct token back[4];
        size_t nback;
        size_t last_end;
        struct cpod_tmpl *t;
        char **vars; /* scope stack: index is the slot */
        size_t nvars, avars;
        int depth, range_depth;
        cpod_error_t *err;
        bool failed;
};

static void *parse_fail(struct parser *p, size_t pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void *parse_fail(struct parser *p, size_t pos, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int line, col;

        if (p->failed)
                return NULL;
        p->failed = true;
        va_start(ap, fmt);
        msg = xvasprintf(fmt, ap);
        va_end(ap);
        tmpl_position(p->t, pos, &line, &col);
        cpod_error_set(p->err, EINVAL, CPOD_E_INVALID, "template: %d:%d: %s", line, col, msg);
        return NULL;
}

static struct token next(struct parser *p)
{
        struct token t = p->nback ? p->back[--p->nback] : lex_next(&p->lx);

        if (t.type == T_ERROR)
                parse_fail(p, t.pos, "%s", p->lx.err);
        if (t.type != T_SPACE)
                p->last_end = t.pos + t.len;
        return t;
}

static void backup(struct parser *p, struct token t)
{
        if (p->nback < ARRAY_SIZE(p->back))
                p->back[p->nback++] = t;
}

static struct token peek(struct parser *p)
{
        struct token t = next(p);

        backup(p, t);
        return t;
}

static struct token next_nonspace(struct parser *p)
{
        struct token t;

        do
                t = next(p);
        while (t.type == T_SPACE);
        return t;
}

static struct token peek_nonspace(struct parser *p)
{
        struct token t = next_nonspace(p);

        backup(p, t);
        return t;
}

/* Go's item description: EOF, <keyword>, or the quoted text cut at 10 bytes. */
static void *unexpected(struct parser *p, struct token t, const char *context)
{
        const char *s = p->lx.src + t.pos;

        if (t.type == T_ERROR)
                return NULL;
        if (t.type == T_EOF)
                return parse_fail(p, t.pos, "unexpected EOF in %s", context);
        if (t.type >= T_IF)
                return parse_fail(p, t.pos, "unexpected <%.*s> in %s", (int)t.len, s, context);
        if (t.type == T_LEFT)
                return parse_fail(p, t.pos, "unexpected \"{{\" in %s", context);
        return parse_fail(p, t.pos, "unexpected \"%.*s\"%s in %s", (int)(t.len > 10 ? 10 : t.len), s,
                          t.len > 10 ? "..." : "", context);
}

static bool expect(struct parser *p, enum tok type, const char *context)
{
        struct token t = next_nonspace(p);

        if (t.type == type)
                return true;
        unexpected(p, t, context);
        return false;
}

/* ---- variables ---- */

static size_t declare(struct parser *p, const char *name, size_t len)
{
        if (p->nvars == p->avars) {
                p->avars = p->avars ? 2 * p->avars : 16;
                p->vars = xreallocarray(p->vars, p->avars, sizeof(*p->vars));
        }
        p->vars[p->nvars] = xstrndup(name, len);
        if (++p->nvars > p->t->nslots)
                p->t->nslots = p->nvars;
        return p->nvars - 1;
}

static bool lookup(struct parser *p, struct token v, size_t *slot)
{
        for (size_t i = p->nvars; i > 0; i--) {
                if (strlen(p->vars[i - 1]) == v.len && memcmp(p->vars[i - 1], p->lx.src + v.pos, v.len) == 0) {
                        *slot = i - 1;
                        return true;
                }
        }
        parse_fail(p, v.pos, "undefined variable \"%.*s\"", (int)v.len, p->lx.src + v.pos);
        return false;
}

static void pop_vars(struct parser *p, size_t n)
{
        while (p->nvars > n)
                free(p->vars[--p->nvars]);
}

/* ---- freeing ---- */

static void pipe_free(struct pipe *pp);

static void arg_free(struct arg *a)
{
        if (!a)
                return;
        json_decref(a->value);
        pipe_free(a->pipe);
        for (size_t i = 0; i < a->nfields; i++)
                free(a->fields[i]);
        free(a->fields);
        free(a);
}

static void cmd_free(struct cmd *c)
{
        if (!c)
                return;
        for (size_t i = 0; i < c->nargs; i++)
                arg_free(c->args[i]);
        free(c->args);
        free(c);
}

static void pipe_free(struct pipe *pp)
{
        if (!pp)
                return;
        for (size_t i = 0; i < pp->ncmds; i++)
                cmd_free(pp->cmds[i]);
        free(pp->cmds);
        free(pp);
}

void tmpl_node_free(struct node *n)
{
        if (!n)
                return;
        for (size_t i = 0; i < n->nitems; i++)
                tmpl_node_free(n->items[i]);
        free(n->items);
        pipe_free(n->pipe);
        tmpl_node_free(n->list);
        tmpl_node_free(n->else_list);
        free(n);
}

static struct node *new_node(enum node_kind kind, size_t pos)
{
        struct node *n = xnew0(struct node, 1);

        n->kind = kind;
        n->pos = pos;
        return n;
}

/* Append to a growable array whose capacity is the next power of two. */
#define APPEND(arr, n, item)                                                                                           \
        do {                                                                                                           \
                if (((n) & ((n)-1)) == 0)                                                                              \
                        (arr) = xreallocarray((arr), (n) ? 2 * (n) : 1, sizeof(*(arr)));                               \
                (arr)[(n)++] = (item);                                                                                 \
        } while (0)

/* ---- pipelines ---- */

static struct pipe *parse_pipeline(struct parser *p, const char *context, enum tok end);

static bool enter(struct parser *p, size_t pos)
{
        if (++p->depth > CPOD_TMPL_MAX_DEPTH) {
                parse_fail(p, pos, "template nested more than %d deep", CPOD_TMPL_MAX_DEPTH);
                return false;
        }
        return true;
}

static struct arg *new_arg(enum arg_kind kind, struct token t)
{
        struct arg *a = xnew0(struct arg, 1);

        a->kind = kind;
        a->pos = t.pos;
        a->end = t.pos + t.len;
        return a;
}

static struct arg *paren_term(struct parser *p, struct token t)
{
        struct arg *a;
        struct token close;

        if (!enter(p, t.pos))
                return NULL;
        a = new_arg(A_PIPE, t);
        a->pipe = parse_pipeline(p, "parenthesized pipeline", T_RPAREN);
        p->depth--;
        if (!a->pipe) {
                arg_free(a);
                return NULL;
        }
        close = next(p);
        if (close.type != T_RPAREN) {
                arg_free(a);
                unexpected(p, close, "parenthesized pipeline");
                return NULL;
        }
        a->end = close.pos + 1;
        return a;
}

/* One term; NULL without an error when the next token does not start one. */
static struct arg *parse_term(struct parser *p)
{
        struct token t = next_nonspace(p);
        const char *s = p->lx.src + t.pos;
        struct arg *a;

        switch (t.type) {
        case T_IDENT:
                a = new_arg(A_FUNC, t);
                a->fn = tmpl_func_lookup(s, t.len);
                if (!a->fn) {
                        arg_free(a);
                        return parse_fail(p, t.pos, "function \"%.*s\" not defined", (int)t.len, s);
                }
                return a;
        case T_DOT:
                return new_arg(A_DOT, t);
        case T_NIL:
                return new_arg(A_NIL, t);
        case T_VAR:
                a = new_arg(A_VAR, t);
                if (!lookup(p, t, &a->slot)) {
                        arg_free(a);
                        return NULL;
                }
                return a;
        case T_FIELD:
                a = new_arg(A_FIELD, t);
                a->fields = xnew0(char *, 1);
                a->fields[a->nfields++] = xstrndup(s + 1, t.len - 1);
                return a;
        case T_BOOL:
                a = new_arg(A_LITERAL, t);
                a->value = json_boolean(s[0] == 't');
                return a;
        case T_CHAR:
        case T_NUMBER:
        case T_STRING:
        case T_RAWSTRING:
                a = new_arg(A_LITERAL, t);
                a->value = tmpl_literal(t.type, s, t.len, p->lx.errbuf, sizeof(p->lx.errbuf));
                if (!a->value) {
                        arg_free(a);
                        return parse_fail(p, t.pos, "%s", p->lx.errbuf);
                }
                return a;
        case T_LPAREN:
                return paren_term(p, t);
        default:
                backup(p, t);
                return NULL;
        }
}

/* A term and the fields chained to it: .A.B, $x.A, (pipeline).A */
static struct arg *parse_operand(struct parser *p)
{
        struct arg *a = parse_term(p);

        if (!a || peek(p).type != T_FIELD)
                return a;
        if (a->kind == A_DOT || a->kind == A_NIL || a->kind == A_LITERAL) {
                parse_fail(p, a->pos, "unexpected . after term \"%.*s\"", (int)(a->end - a->pos), p->lx.src + a->pos);
                arg_free(a);
                return NULL;
        }
        while (peek(p).type == T_FIELD) {
                struct token f = next(p);
                APPEND(a->fields, a->nfields, xstrndup(p->lx.src + f.pos + 1, f.len - 1));
                a->end = f.pos + f.len;
        }
        return a;
}

static struct cmd *parse_command(struct parser *p)
{
        struct cmd *c = xnew0(struct cmd, 1);

        c->pos = peek_nonspace(p).pos;
        for (;;) {
                struct arg *a = parse_operand(p);
                struct token t;

                if (a)
                        APPEND(c->args, c->nargs, a);
                if (p->failed)
                        goto fail;
                t = next(p);
                if (t.type == T_SPACE)
                        continue;
                if (t.type == T_RIGHT || t.type == T_RPAREN) {
                        backup(p, t);
                        break;
                }
                if (t.type == T_PIPE)
                        break;
                unexpected(p, t, "operand");
                goto fail;
        }
        if (c->nargs == 0) {
                parse_fail(p, c->pos, "empty command");
                goto fail;
        }
        c->end = c->args[c->nargs - 1]->end;
        return c;
fail:
        cmd_free(c);
        return NULL;
}

struct decls {
        struct token vars[2];
        size_t n;
        bool is_assign;
};

/*
 * Declarations at the start of a pipeline: "$x :=", "$x =", and in range "$i, $e :=".
 * Leaves the tokens alone when there is none.  The variables are declared
 * after the pipeline is parsed, so that "$x := $x" refers to an outer $x.
 */
static bool parse_decls(struct parser *p, struct decls *d, const char *context)
{
        while (peek_nonspace(p).type == T_VAR) {
                struct token v = next_nonspace(p), after = peek(p), op = peek_nonspace(p);

                d->vars[d->n++] = v;
                if (op.type == T_DECLARE || op.type == T_ASSIGN) {
                        next_nonspace(p);
                        d->is_assign = op.type == T_ASSIGN;
                        return true;
                }
                if (op.type == T_OTHER && p->lx.src[op.pos] == ',') {
                        next_nonspace(p);
                        if (strcmp(context, "range") != 0 || d->n > 1)
                                return parse_fail(p, op.pos, "too many declarations in %s", context), false;
                        if (peek_nonspace(p).type != T_VAR)
                                return parse_fail(p, op.pos, "range can only initialize variables"), false;
                        continue;
                }
                if (d->n > 1)
                        return unexpected(p, op, context), false;
                /* not a declaration: put the variable and the space after it back */
                if (after.type == T_SPACE)
                        backup(p, after);
                backup(p, v);
                d->n = 0;
                return true;
        }
        return true;
}

static bool resolve_decls(struct parser *p, struct pipe *pp, const struct decls *d)
{
        for (size_t i = 0; i < d->n; i++) {
                const struct token *v = &d->vars[i];
                if (d->is_assign && !lookup(p, *v, &pp->decl[i]))
                        return false;
                if (!d->is_assign)
                        pp->decl[i] = declare(p, p->lx.src + v->pos, v->len);
        }
        pp->ndecl = d->n;
        pp->is_assign = d->is_assign;
        return true;
}

static bool check_pipeline(struct parser *p, struct pipe *pp, const char *context)
{
        if (pp->ncmds == 0) {
                parse_fail(p, pp->pos, "missing value for %s", context);
                return false;
        }
        for (size_t i = 1; i < pp->ncmds; i++) {
                const struct arg *a = pp->cmds[i]->args[0];
                if (a->kind == A_DOT || a->kind == A_NIL || a->kind == A_LITERAL) {
                        parse_fail(p, a->pos, "non executable command in pipeline stage %zu", i + 1);
                        return false;
                }
        }
        return true;
}

static struct pipe *parse_pipeline(struct parser *p, const char *context, enum tok end)
{
        struct pipe *pp = xnew0(struct pipe, 1);
        struct decls d = { .n = 0 };

        pp->pos = peek_nonspace(p).pos;
        if (!parse_decls(p, &d, context))
                goto fail;
        for (;;) {
                struct token t = next_nonspace(p);

                if (t.type == end) {
                        if (end == T_RPAREN)
                                backup(p, t);
                        pp->end = t.pos;
                        break;
                }
                switch (t.type) {
                case T_BOOL:
                case T_CHAR:
                case T_DOT:
                case T_FIELD:
                case T_IDENT:
                case T_NUMBER:
                case T_NIL:
                case T_RAWSTRING:
                case T_STRING:
                case T_VAR:
                case T_LPAREN: {
                        struct cmd *c;
                        backup(p, t);
                        c = parse_command(p);
                        if (!c)
                                goto fail;
                        APPEND(pp->cmds, pp->ncmds, c);
                        break;
                }
                default:
                        unexpected(p, t, context);
                        goto fail;
                }
        }
        if (check_pipeline(p, pp, context) && resolve_decls(p, pp, &d))
                return pp;
fail:
        pipe_free(pp);
        return NULL;
}

/* ---- actions and lists ---- */

/* How a list ended: at EOF (top level only), {{end}} or {{else}} (the token after else is left unread). */
enum list_end { END_EOF, END_END, END_ELSE };

static struct node *parse_list(struct parser *p, bool top, enum list_end *ended);

static struct node *parse_control(struct parser *p, enum node_kind kind, struct token kw)
{
        static const char *const names[] = { [N_IF] = "if", [N_RANGE] = "range", [N_WITH] = "with" };
        const char *context = names[kind];
        struct node *n = new_node(kind, kw.pos);
        enum list_end ended;

        if (!enter(p, kw.pos))
                goto fail;
        n->var_base = p->nvars;
        n->pipe = parse_pipeline(p, context, T_RIGHT);
        if (!n->pipe)
                goto fail;
        n->body_base = p->nvars;
        p->range_depth += kind == N_RANGE;
        n->list = parse_list(p, false, &ended);
        p->range_depth -= kind == N_RANGE;
        if (!n->list)
                goto fail;
        if (ended == END_ELSE) {
                struct token t = peek(p);
                if ((kind == N_IF && t.type == T_IF) || (kind == N_WITH && t.type == T_WITH)) {
                        /* {{else if x}} is {{else}}{{if x}}...{{end}}{{end}} sharing one {{end}} */
                        n->else_list = new_node(N_LIST, t.pos);
                        next(p);
                        n->else_list->items = xnew0(struct node *, 1);
                        n->else_list->items[0] = parse_control(p, kind, t);
                        if (!n->else_list->items[0])
                                goto fail;
                        n->else_list->nitems = 1;
                } else {
                        n->else_list = parse_list(p, false, &ended);
                        if (!n->else_list)
                                goto fail;
                        if (ended != END_END) {
                                parse_fail(p, p->last_end, "expected end; found {{else}}");
                                goto fail;
                        }
                }
        }
        pop_vars(p, n->var_base);
        p->depth--;
        return n;
fail:
        tmpl_node_free(n);
        return NULL;
}

/* After "{{": an action, a control structure, or a list terminator (*ended set, NULL returned). */
static struct node *parse_action(struct parser *p, enum list_end *ended, bool *failed)
{
        struct token t = peek_nonspace(p);
        struct node *n;

        *failed = true;
        switch (t.type) {
        case T_IF:
        case T_RANGE:
        case T_WITH:
                next_nonspace(p);
                n = parse_control(p, t.type == T_IF ? N_IF : t.type == T_RANGE ? N_RANGE : N_WITH, t);
                *failed = !n;
                return n;
        case T_ELSE:
                next_nonspace(p);
                t = peek_nonspace(p);
                if (t.type != T_IF && t.type != T_WITH && !expect(p, T_RIGHT, "else"))
                        return NULL;
                *ended = END_ELSE;
                *failed = false;
                return NULL;
        case T_END:
                next_nonspace(p);
                if (!expect(p, T_RIGHT, "end"))
                        return NULL;
                *ended = END_END;
                *failed = false;
                return NULL;
        case T_BREAK:
        case T_CONTINUE:
                next_nonspace(p);
                if (p->range_depth == 0)
                        return parse_fail(p, t.pos, "{{%.*s}} outside {{range}}", (int)t.len, p->lx.src + t.pos);
                if (!expect(p, T_RIGHT, t.type == T_BREAK ? "break" : "continue"))
                        return NULL;
                *failed = false;
                return new_node(t.type == T_BREAK ? N_BREAK : N_CONTINUE, t.pos);
        case T_DEFINE:
        case T_TEMPLATE:
        case T_BLOCK:
                return parse_fail(p, t.pos, "{{%.*s}} is not supported", (int)t.len, p->lx.src + t.pos);
        default:
                n = new_node(N_ACTION, t.pos);
                n->pipe = parse_pipeline(p, "command", T_RIGHT);
                if (!n->pipe) {
                        tmpl_node_free(n);
                        return NULL;
                }
                *failed = false;
                return n;
        }
}

static struct node *parse_list(struct parser *p, bool top, enum list_end *ended)
{
        struct node *list = new_node(N_LIST, p->lx.pos);

        *ended = END_EOF;
        for (;;) {
                struct token t = next_nonspace(p);
                struct node *n = NULL;
                bool failed;

                if (t.type == T_EOF && top)
                        return list;
                if (t.type == T_TEXT) {
                        n = new_node(N_TEXT, t.pos);
                        n->text = p->lx.src + t.pos;
                        n->text_len = t.len;
                } else if (t.type == T_LEFT) {
                        n = parse_action(p, ended, &failed);
                        if (failed)
                                break;
                        if (!n && top) {
                                parse_fail(p, t.pos, "unexpected {{%s}}", *ended == END_END ? "end" : "else");
                                break;
                        }
                        if (!n)
                                return list;
                } else {
                        unexpected(p, t, "input");
                        break;
                }
                APPEND(list->items, list->nitems, n);
        }
        tmpl_node_free(list);
        return NULL;
}

void tmpl_position(const struct cpod_tmpl *t, size_t pos, int *line, int *col)
{
        size_t line_start = 0;

        *line = 1;
        for (size_t i = 0; i < pos && i < t->len; i++) {
                if (t->src[i] == '\n') {
                        (*line)++;
                        line_start = i + 1;
                }
        }
        *col = (int)(pos - line_start) + 1;
}

struct cpod_tmpl *cpod_tmpl_parse_buf(const char *src, size_t len, cpod_error_t *err)
{
        struct cpod_tmpl *t = xnew0(struct cpod_tmpl, 1);
        struct parser p = { .t = t, .err = err };
        enum list_end ended;

        t->src = xmalloc(len + 1);
        memcpy(t->src, src, len);
        t->src[len] = '\0';
        t->len = len;
        t->max_output = CPOD_TMPL_MAX_OUTPUT;
        t->max_steps = CPOD_TMPL_MAX_STEPS;
        lex_init(&p.lx, t->src, len);
        declare(&p, "$", 1);
        t->root = parse_list(&p, true, &ended);
        pop_vars(&p, 0);
        free(p.vars);
        if (!t->root) {
                cpod_tmpl_free(t);
                return NULL;
        }
        return t;
}

struct cpod_tmpl *cpod_tmpl_parse(const char *src, cpod_error_t *err)
{
        return cpod_tmpl_parse_buf(src, strlen(src), err);
}

void cpod_tmpl_set_limits(struct cpod_tmpl *t, size_t max_output, uint64_t max_steps)
{
        if (max_output)
                t->max_output = max_output;
        if (max_steps)
                t->max_steps = max_steps;
}

void cpod_tmpl_free(struct cpod_tmpl *t)
{
        if (!t)
                return;
        tmpl_node_free(t->root);
        free(t->src);
        free(t);
}
