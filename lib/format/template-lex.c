/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tokens of Go's text/template: text outside {{ }}, and inside an action
 * fields, variables, literals, keywords and punctuation.  Trim markers
 * ("{{- " and " -}}") are applied here, by shortening the neighbouring text;
 * comments are skipped.  Input is untrusted (user --format strings): every
 * scan is bounded by the length, and errors are messages, never aborts.
 */
#include <stdio.h>
#include <string.h>

#include "format/template-private.h"
#include "format/utf8.h"

static const struct {
        const char *word;
        enum tok type;
} keywords[] = {
        { "if", T_IF },
        { "else", T_ELSE },
        { "end", T_END },
        { "range", T_RANGE },
        { "with", T_WITH },
        { "break", T_BREAK },
        { "continue", T_CONTINUE },
        { "define", T_DEFINE },
        { "template", T_TEMPLATE },
        { "block", T_BLOCK },
        { "true", T_BOOL },
        { "false", T_BOOL },
        { "nil", T_NIL },
};

void lex_init(struct lexer *lx, const char *src, size_t len)
{
        memset(lx, 0, sizeof(*lx));
        lx->src = src;
        lx->len = len;
}

static bool is_space(char c)
{
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_alnum_at(const struct lexer *lx, size_t pos)
{
        unsigned char c;

        if (pos >= lx->len)
                return false;
        c = (unsigned char)lx->src[pos];
        return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static bool starts(const struct lexer *lx, size_t pos, const char *s)
{
        size_t n = strlen(s);
        return pos <= lx->len && lx->len - pos >= n && memcmp(lx->src + pos, s, n) == 0;
}

/* "-" followed by a space after "{{" */
static bool left_trim_at(const struct lexer *lx, size_t pos)
{
        return pos + 1 < lx->len && lx->src[pos] == '-' && is_space(lx->src[pos + 1]);
}

/* " -}}" (returns 3 for the marker length) or "}}" (0); -1 when no delimiter starts at pos */
static int right_delim_at(const struct lexer *lx, size_t pos)
{
        if (pos + 1 < lx->len && is_space(lx->src[pos]) && lx->src[pos + 1] == '-' && starts(lx, pos + 2, "}}"))
                return 2;
        return starts(lx, pos, "}}") ? 0 : -1;
}

static size_t skip_space(const struct lexer *lx, size_t pos)
{
        while (pos < lx->len && is_space(lx->src[pos]))
                pos++;
        return pos;
}

static struct token tok(enum tok type, size_t pos, size_t len)
{
        return (struct token){ type, pos, len };
}

static struct token fail(struct lexer *lx, const char *msg)
{
        lx->err = msg;
        return tok(T_ERROR, lx->pos, 0);
}

/* A comment after "{{" or "{{- " at lx->pos; on success lx->pos is past "}}" and its trim. */
static bool skip_comment(struct lexer *lx)
{
        const char *end = memmem(lx->src + lx->pos + 2, lx->len - lx->pos - 2, "*/", 2);
        int trim;

        if (!end) {
                lx->err = "unclosed comment";
                return false;
        }
        lx->pos = (size_t)(end - lx->src) + 2;
        trim = right_delim_at(lx, lx->pos);
        if (trim < 0) {
                lx->err = "comment ends before closing delimiter";
                return false;
        }
        lx->pos += (size_t)trim + 2;
        if (trim)
                lx->pos = skip_space(lx, lx->pos);
        return true;
}

static struct token lex_text(struct lexer *lx)
{
        for (;;) {
                size_t start = lx->pos, end, after;
                const char *l = memmem(lx->src + start, lx->len - start, "{{", 2);

                if (!l) {
                        lx->pos = lx->len;
                        return start < lx->len ? tok(T_TEXT, start, lx->len - start) : tok(T_EOF, lx->len, 0);
                }
                end = (size_t)(l - lx->src);
                after = end + 2;
                lx->pos = end;
                if (left_trim_at(lx, after)) {
                        while (end > start && is_space(lx->src[end - 1]))
                                end--;
                        after += 2;
                }
                if (end > start)
                        return tok(T_TEXT, start, end - start);
                if (starts(lx, after, "/*")) {
                        lx->pos = after;
                        if (!skip_comment(lx))
                                return tok(T_ERROR, lx->pos, 0);
                        continue;
                }
                lx->pos = after;
                lx->in_action = true;
                lx->paren_depth = 0;
                return tok(T_LEFT, end, after - end);
        }
}

static struct token lex_right(struct lexer *lx, int trim)
{
        size_t start = lx->pos;

        lx->pos += (size_t)trim + 2;
        if (trim)
                lx->pos = skip_space(lx, lx->pos);
        lx->in_action = false;
        return tok(T_RIGHT, start, (size_t)trim + 2);
}

/* After an identifier, field or variable: what may follow without a space. */
static bool at_terminator(const struct lexer *lx)
{
        char c;

        if (lx->pos >= lx->len)
                return true;
        c = lx->src[lx->pos];
        return is_space(c) || (c && strchr(".,|:()}", c) != NULL);
}

static struct token bad_char(struct lexer *lx)
{
        uint32_t cp;

        utf8_decode(lx->src + lx->pos, lx->len - lx->pos, &cp);
        snprintf(lx->errbuf, sizeof(lx->errbuf), "bad character U+%04X", cp);
        return fail(lx, lx->errbuf);
}

/* .Field or $var: prefix already at start, lx->pos just past it. */
static struct token lex_field_or_var(struct lexer *lx, size_t start, enum tok type)
{
        if (at_terminator(lx))
                return tok(type == T_FIELD ? T_DOT : T_VAR, start, lx->pos - start);
        while (is_alnum_at(lx, lx->pos))
                lx->pos++;
        if (!at_terminator(lx))
                return bad_char(lx);
        return tok(type, start, lx->pos - start);
}

static struct token lex_ident(struct lexer *lx, size_t start)
{
        size_t n;

        while (is_alnum_at(lx, lx->pos))
                lx->pos++;
        if (!at_terminator(lx))
                return bad_char(lx);
        n = lx->pos - start;
        for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
                if (strlen(keywords[i].word) == n && memcmp(keywords[i].word, lx->src + start, n) == 0)
                        return tok(keywords[i].type, start, n);
        return tok(T_IDENT, start, n);
}

static bool accept(struct lexer *lx, const char *set)
{
        if (lx->pos < lx->len && lx->src[lx->pos] && strchr(set, lx->src[lx->pos])) {
                lx->pos++;
                return true;
        }
        return false;
}

static void accept_run(struct lexer *lx, const char *set)
{
        while (accept(lx, set))
                ;
}

/* Go's scanNumber: sign, base prefix, digits with '_', fraction, exponent; never followed by a letter. */
static struct token lex_number(struct lexer *lx, size_t start)
{
        const char *digits = "0123456789_";

        accept(lx, "+-");
        if (accept(lx, "0")) {
                if (accept(lx, "xX"))
                        digits = "0123456789abcdefABCDEF_";
                else if (accept(lx, "oO"))
                        digits = "01234567_";
                else if (accept(lx, "bB"))
                        digits = "01_";
        }
        accept_run(lx, digits);
        if (accept(lx, "."))
                accept_run(lx, digits);
        if (strlen(digits) == 11 && accept(lx, "eE")) {
                accept(lx, "+-");
                accept_run(lx, "0123456789_");
        }
        if (strlen(digits) == 23 && accept(lx, "pP")) {
                accept(lx, "+-");
                accept_run(lx, "0123456789_");
        }
        accept(lx, "i");
        if (is_alnum_at(lx, lx->pos) || (lx->pos < lx->len && strchr("+-", lx->src[lx->pos]) && lx->src[lx->pos])) {
                snprintf(lx->errbuf, sizeof(lx->errbuf), "bad number syntax: \"%.*s\"",
                         (int)(lx->pos - start < 32 ? lx->pos - start : 32), lx->src + start);
                return fail(lx, lx->errbuf);
        }
        return tok(T_NUMBER, start, lx->pos - start);
}

/* A quoted literal: '"' or '\'' (escapes allowed, no newline) or '`' (raw, any bytes). */
static struct token lex_quote(struct lexer *lx, size_t start, char q)
{
        while (lx->pos < lx->len) {
                char c = lx->src[lx->pos++];

                if (c == q)
                        return tok(q == '`' ? T_RAWSTRING : q == '"' ? T_STRING : T_CHAR, start, lx->pos - start);
                if (q == '`')
                        continue;
                if (c == '\\' && lx->pos < lx->len && lx->src[lx->pos] != '\n')
                        lx->pos++;
                else if (c == '\n' || c == '\\')
                        break;
        }
        return fail(lx, q == '`'   ? "unterminated raw quoted string"
                        : q == '"' ? "unterminated quoted string"
                                   : "unterminated character constant");
}

static struct token lex_space(struct lexer *lx, size_t start)
{
        while (lx->pos < lx->len && is_space(lx->src[lx->pos]) && right_delim_at(lx, lx->pos) != 2)
                lx->pos++;
        if (lx->pos == start)
                return lex_right(lx, 2);
        return tok(T_SPACE, start, lx->pos - start);
}

static struct token lex_action(struct lexer *lx)
{
        size_t start = lx->pos;
        int trim = right_delim_at(lx, lx->pos);
        unsigned char c;

        if (trim >= 0) {
                if (lx->paren_depth == 0)
                        return lex_right(lx, trim);
                return fail(lx, "unclosed left paren");
        }
        if (lx->pos >= lx->len)
                return fail(lx, "unclosed action");
        c = (unsigned char)lx->src[lx->pos++];
        if (is_space((char)c))
                return lx->pos--, lex_space(lx, start);
        switch (c) {
        case '=':
                return tok(T_ASSIGN, start, 1);
        case ':':
                if (!accept(lx, "="))
                        return fail(lx, "expected :=");
                return tok(T_DECLARE, start, 2);
        case '|':
                return tok(T_PIPE, start, 1);
        case '"':
        case '`':
        case '\'':
                return lex_quote(lx, start, (char)c);
        case '$':
                return lex_field_or_var(lx, start, T_VAR);
        case '(':
                lx->paren_depth++;
                return tok(T_LPAREN, start, 1);
        case ')':
                if (--lx->paren_depth < 0)
                        return fail(lx, "unexpected right paren");
                return tok(T_RPAREN, start, 1);
        case '.':
                if (lx->pos >= lx->len || lx->src[lx->pos] < '0' || lx->src[lx->pos] > '9')
                        return lex_field_or_var(lx, start, T_FIELD);
                __attribute__((fallthrough)); /* ".5" is a number */
        case '+':
        case '-':
        case '0' ... '9':
                lx->pos = start;
                return lex_number(lx, start);
        }
        if (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80)
                return lex_ident(lx, start);
        if (c > ' ' && c < 0x7F)
                return tok(T_OTHER, start, 1);
        lx->pos = start;
        snprintf(lx->errbuf, sizeof(lx->errbuf), "unrecognized character in action: U+%04X", c);
        return fail(lx, lx->errbuf);
}

struct token lex_next(struct lexer *lx)
{
        if (lx->err)
                return tok(T_ERROR, lx->pos, 0);
        return lx->in_action ? lex_action(lx) : lex_text(lx);
}

static int hexval(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

/* One escape after '\\' at s[*i]; Go's strconv.UnquoteChar rules. */
static bool unescape(const char *s, size_t len, size_t *i, char quote, struct strbuf *sb)
{
        static const char simple[] = "a\ab\bf\fn\nr\rt\tv\v\\\\";
        char c = s[(*i)++];
        const char *e = strchr(simple, c);
        uint32_t v = 0;
        int n = 0, base = 16;

        if (c && e && (e - simple) % 2 == 0) {
                strbuf_addch(sb, e[1]);
                return true;
        }
        if (c == quote && c != '`') {
                strbuf_addch(sb, c);
                return true;
        }
        if (c == 'x')
                n = 2;
        else if (c == 'u')
                n = 4;
        else if (c == 'U')
                n = 8;
        else if (c >= '0' && c <= '7')
                n = 3, base = 8, (*i)--;
        else
                return false;
        for (int k = 0; k < n; k++) {
                int d = *i < len ? hexval(s[(*i)++]) : -1;
                if (d < 0 || d >= base)
                        return false;
                v = v * (uint32_t)base + (uint32_t)d;
        }
        if (c == 'x' || base == 8) {
                if (v > 255)
                        return false;
                strbuf_addch(sb, (int)v);
                return true;
        }
        if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
                return false;
        utf8_encode(sb, v);
        return true;
}

bool lex_unquote(const char *s, size_t len, struct strbuf *sb)
{
        char q = s[0];

        if (len < 2 || s[len - 1] != q)
                return false;
        for (size_t i = 1; i < len - 1;) {
                if (s[i] == '\\') {
                        i++;
                        if (i >= len - 1 || !unescape(s, len - 1, &i, q, sb))
                                return false;
                } else if (s[i] == q || s[i] == '\n') {
                        return false;
                } else {
                        strbuf_addch(sb, s[i++]);
                }
        }
        return true;
}
