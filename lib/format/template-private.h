/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of format/template: tokens (template-lex.c), the parse tree
 * (template-parse.c), execution (template-exec.c) and the functions
 * (template-funcs.c).
 */
#ifndef CPOD_UTIL_TEMPLATE_PRIVATE_H
#define CPOD_UTIL_TEMPLATE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format/template.h"

/* ---- lexer ---- */

enum tok {
        T_EOF,
        T_ERROR,
        T_TEXT,
        T_LEFT,  /* {{ (a trim marker is consumed with it) */
        T_RIGHT, /* }} */
        T_SPACE,
        T_FIELD, /* .Name */
        T_VAR,   /* $ or $name */
        T_DOT,
        T_IDENT,
        T_STRING,
        T_RAWSTRING,
        T_CHAR,
        T_NUMBER,
        T_BOOL,
        T_NIL,
        T_PIPE,
        T_LPAREN,
        T_RPAREN,
        T_DECLARE, /* := */
        T_ASSIGN,  /* = */
        T_OTHER,   /* any other printable ASCII character, such as ',' */
        /* keywords */
        T_IF,
        T_ELSE,
        T_END,
        T_RANGE,
        T_WITH,
        T_BREAK,
        T_CONTINUE,
        T_DEFINE,
        T_TEMPLATE,
        T_BLOCK,
};

struct token {
        enum tok type;
        size_t pos, len; /* bytes of src; T_TEXT excludes trimmed space */
};

struct lexer {
        const char *src;
        size_t len, pos;
        bool in_action;
        int paren_depth;
        const char *err; /* set with T_ERROR; static text or lx->errbuf */
        char errbuf[128];
};

void lex_init(struct lexer *lx, const char *src, size_t len);
struct token lex_next(struct lexer *lx);
/* Decode a "..." or '...' literal (with its quotes) into sb; false on a bad escape. */
bool lex_unquote(const char *s, size_t len, struct strbuf *sb);

/* Decode a T_STRING, T_RAWSTRING, T_CHAR or T_NUMBER token; NULL with a message in err. */
json_t *tmpl_literal(enum tok type, const char *s, size_t len, char *err, size_t errsize);

/* ---- parse tree ---- */

struct tmpl_func;
struct pipe;

enum arg_kind {
        A_DOT,
        A_NIL,
        A_LITERAL, /* value holds the bool, number or string */
        A_FIELD,   /* fields of dot */
        A_VAR,     /* slot, then fields */
        A_FUNC,    /* a function name used as an operand: called without arguments */
        A_PIPE,    /* (pipeline), then fields */
};

struct arg {
        enum arg_kind kind;
        size_t pos, end;
        json_t *value;
        size_t slot;
        const struct tmpl_func *fn;
        struct pipe *pipe;
        char **fields;
        size_t nfields;
};

struct cmd {
        size_t pos, end;
        struct arg **args;
        size_t nargs;
};

struct pipe {
        size_t pos, end;
        bool is_assign;
        size_t ndecl;
        size_t decl[2]; /* variable slots */
        struct cmd **cmds;
        size_t ncmds;
};

enum node_kind { N_LIST, N_TEXT, N_ACTION, N_IF, N_RANGE, N_WITH, N_BREAK, N_CONTINUE };

struct node {
        enum node_kind kind;
        size_t pos;
        /* N_LIST */
        struct node **items;
        size_t nitems;
        /* N_TEXT */
        const char *text;
        size_t text_len;
        /* N_ACTION, N_IF, N_RANGE, N_WITH */
        struct pipe *pipe;
        struct node *list, *else_list;
        size_t var_base;  /* first slot declared by this control (its pipeline, then its bodies) */
        size_t body_base; /* first slot declared inside the body */
};

struct cpod_tmpl {
        char *src;
        size_t len;
        struct node *root;
        size_t nslots; /* variable slots; slot 0 is $ */
        size_t max_output;
        uint64_t max_steps;
};

void tmpl_node_free(struct node *n);
/* "LINE:COL" of a byte offset, 1-based. */
void tmpl_position(const struct cpod_tmpl *t, size_t pos, int *line, int *col);

/* ---- execution ---- */

struct exec {
        const struct cpod_tmpl *t;
        json_t **vars;
        struct strbuf *out;
        unsigned flags;
        uint64_t steps;
        cpod_error_t *err;
        bool failed;
};

/* Record a run-time error at node [pos, end); always returns NULL. */
json_t *exec_fail(struct exec *ex, size_t pos, size_t end, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Count work; false (with the error set) once the budget is spent. */
bool exec_charge(struct exec *ex, uint64_t units, size_t pos);
bool tmpl_truth(const json_t *v);
json_t *exec_arg(struct exec *ex, const struct arg *a, json_t *dot);

/* ---- functions ---- */

struct call {
        struct exec *ex;
        const struct cmd *cmd;
        const char *name;
        json_t *dot;
};

typedef json_t *(*tmpl_fn)(struct call *c, json_t **args, size_t n);

struct tmpl_func {
        const char *name;
        int min_args, max_args; /* max -1: variadic */
        tmpl_fn fn;
        bool lazy; /* and/or: arguments are evaluated by the function itself */
};

const struct tmpl_func *tmpl_func_lookup(const char *name, size_t len);
/* Call with the command's arguments after the function name, and final (NULL when none). */
json_t *tmpl_call(struct exec *ex, const struct cmd *cmd, size_t first, json_t *dot, json_t *final);
/* Call fn with evaluated arguments (borrowed); errors point at src[pos, end). */
json_t *tmpl_call_fn(struct exec *ex, const struct tmpl_func *fn, json_t **args, size_t n, size_t pos, size_t end,
                     json_t *dot);
/* The largest string a function may build. */
size_t tmpl_out_limit(const struct exec *ex);
/* A function error in Go's words: "error calling NAME: ...". */
json_t *call_fail(struct call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
