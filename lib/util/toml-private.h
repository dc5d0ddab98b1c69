/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals shared by toml.c (document structure, tables, conversion to
 * JSON), toml-lex.c (whitespace, comments, strings) and toml-scalar.c
 * (numbers, booleans, dates and times).
 */
#ifndef CPOD_UTIL_TOML_PRIVATE_H
#define CPOD_UTIL_TOML_PRIVATE_H

#include <jansson.h>
#include <locale.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cpod/error.h>
#include "util/strbuf.h"

enum tnode_kind {
        TN_STRING,
        TN_INTEGER,
        TN_FLOAT,
        TN_BOOL,
        TN_DATETIME, /* offset date-time */
        TN_DATETIME_LOCAL,
        TN_DATE_LOCAL,
        TN_TIME_LOCAL,
        TN_ARRAY,
        TN_TABLE,
};

/*
 * How a table or array came to be; this drives the redefinition rules.  A
 * table with none of the flags was created implicitly as an intermediate of
 * a [header] path and may still be defined once by its own header.
 */
enum tnode_flags {
        TF_EXPLICIT = 1 << 0, /* table defined by [header], or an element of [[header]] */
        TF_DOTTED = 1 << 1,   /* table created (or entered) by a dotted key */
        TF_INLINE = 1 << 2,   /* inline table: complete, immutable */
        TF_AOT = 1 << 3,      /* array created by [[header]]: may be appended to */
};

struct tnode;

struct tentry {
        char *key; /* UTF-8, may contain NUL */
        size_t klen;
        struct tnode *val;
};

struct tnode {
        enum tnode_kind kind;
        unsigned flags;
        unsigned depth; /* containers only: the root table is 0 */
        union {
                struct {
                        char *s; /* strings, and date/time text normalised */
                        size_t len;
                } str;
                int64_t i;
                double f;
                bool b;
                struct {
                        struct tnode **v;
                        size_t n, alloc;
                } arr;
                struct {
                        struct tentry *v;
                        size_t n, alloc;
                        json_t *index; /* key -> position in v, built lazily */
                } tab;
        } u;
};

struct toml_parser {
        const char *buf;
        size_t len;
        size_t pos;
        const char *filename;
        cpod_error_t *err;
        locale_t c_locale; /* for strtod_l; created on first float */
        struct strbuf scratch;
        struct strbuf path; /* rendered key of the table being filled, for messages */
};

/* Set err to "FILE:LINE:COL: message" for byte offset at; returns -EINVAL. */
int toml_fail(struct toml_parser *p, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "unexpected 'x' <context>" for the character (or end of input) at byte offset at. */
int toml_fail_unexpected(struct toml_parser *p, size_t at, const char *context);

/* Byte at pos + off, or -1 past the end. */
static inline int toml_peek(const struct toml_parser *p, size_t off)
{
        return p->pos < p->len && off < p->len - p->pos ? (unsigned char)p->buf[p->pos + off] : -1;
}

static inline bool toml_eof(const struct toml_parser *p)
{
        return p->pos >= p->len;
}

/* Validate the whole input as UTF-8 (no overlong forms, surrogates or > U+10FFFF). */
int toml_check_utf8(struct toml_parser *p);
/* Skip spaces and tabs. */
void toml_skip_ws(struct toml_parser *p);
/* At LF or CRLF: consume it and return true. */
bool toml_newline(struct toml_parser *p);
/* At '#': consume the comment up to (not including) the newline, checking its characters. */
int toml_skip_comment(struct toml_parser *p);
/* Skip whitespace, comments and newlines (inside arrays). */
int toml_skip_wscn(struct toml_parser *p);
/* Skip whitespace and an optional comment, then require a newline or the end; after names what came before. */
int toml_expect_eol(struct toml_parser *p, const char *after);

/* A basic or literal string at pos, multi-line only if allowed; decoded into out (reset first). */
int toml_parse_string(struct toml_parser *p, bool allow_multiline, struct strbuf *out);
/* Integer, float, boolean, date or time at pos, into the scalar node n. */
int toml_parse_scalar(struct toml_parser *p, struct tnode *n);

#endif
