/* SPDX-License-Identifier: Apache-2.0 */
/* WWW-Authenticate parsing (see www-auth.h). */
#include "image/docker/www-auth.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

struct cur {
        const char *s;
        size_t i, n;
};

static bool is_tchar(char c)
{
        return isalnum((unsigned char)c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool is_t68char(char c)
{
        return isalnum((unsigned char)c) || (c && strchr("-._~+/", c));
}

static void skip_ows(struct cur *c)
{
        while (c->i < c->n && (c->s[c->i] == ' ' || c->s[c->i] == '\t'))
                c->i++;
}

static char peek(const struct cur *c)
{
        return c->i < c->n ? c->s[c->i] : '\0';
}

static char *lower_dup(const char *s, size_t n)
{
        char *r = xstrndup(s, n);

        for (char *p = r; *p; p++)
                *p = (char)tolower((unsigned char)*p);
        return r;
}

/* token: returns its length (0 when there is none) and leaves c after it. */
static size_t token(struct cur *c, size_t *start)
{
        *start = c->i;
        while (c->i < c->n && is_tchar(c->s[c->i]))
                c->i++;
        return c->i - *start;
}

static int quoted(struct cur *c, char **ret)
{
        struct strbuf sb = STRBUF_INIT;

        c->i++; /* opening quote */
        while (c->i < c->n && c->s[c->i] != '"') {
                unsigned char ch = (unsigned char)c->s[c->i];
                if (ch == '\\') {
                        if (++c->i >= c->n)
                                break;
                        ch = (unsigned char)c->s[c->i];
                }
                if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
                        strbuf_release(&sb);
                        return -1;
                }
                strbuf_addch(&sb, ch);
                c->i++;
        }
        if (c->i >= c->n) {
                strbuf_release(&sb);
                return -1;
        }
        c->i++; /* closing quote */
        *ret = strbuf_detach(&sb, NULL);
        return 0;
}

static int add_param(struct auth_challenge *ch, struct cur *c, size_t kstart, size_t klen)
{
        char *v = NULL;
        size_t vstart, vlen;

        c->i++; /* '=' */
        skip_ows(c);
        if (peek(c) == '"') {
                if (quoted(c, &v) < 0)
                        return -1;
        } else {
                vlen = token(c, &vstart);
                if (!vlen)
                        return -1;
                v = xstrndup(c->s + vstart, vlen);
        }
        if (ch->n_params >= WWW_AUTH_MAX_PARAMS) {
                free(v);
                return -1;
        }
        ch->params = xreallocarray(ch->params, ch->n_params + 1, sizeof(*ch->params));
        ch->params[ch->n_params++] = (struct auth_param){ lower_dup(c->s + kstart, klen), v };
        return 0;
}

/* After "scheme SP": token68, or a list of params.  Stops before a following challenge. */
static int challenge_body(struct auth_challenge *ch, struct cur *c)
{
        size_t save = c->i, ks, kl;

        /* token68 ("abc==", or a lone word): t68chars, optional '='s, then the end or ',' */
        while (c->i < c->n && is_t68char(c->s[c->i]))
                c->i++;
        if (c->i > save) {
                size_t end;
                while (c->i < c->n && c->s[c->i] == '=')
                        c->i++;
                end = c->i;
                skip_ows(c);
                if (peek(c) == '\0' || peek(c) == ',') {
                        ch->token68 = xstrndup(c->s + save, end - save);
                        return 0;
                }
        }
        c->i = save;
        for (;;) {
                size_t before = c->i;
                kl = token(c, &ks);
                if (!kl)
                        return c->i == save ? -1 : 0;
                skip_ows(c);
                if (peek(c) != '=') {
                        /* a new challenge starts here ("..., Basic realm=x") */
                        if (ch->n_params == 0)
                                return -1;
                        c->i = before;
                        return 1;
                }
                if (add_param(ch, c, ks, kl) < 0)
                        return -1;
                skip_ows(c);
                if (peek(c) == '\0')
                        return 0;
                if (peek(c) != ',')
                        return -1;
                while (peek(c) == ',' || peek(c) == ' ' || peek(c) == '\t')
                        c->i++;
                if (peek(c) == '\0')
                        return 0;
        }
}

void auth_challenges_free(struct auth_challenge *v, size_t n)
{
        for (size_t i = 0; v && i < n; i++) {
                free(v[i].scheme);
                free(v[i].token68);
                for (size_t j = 0; j < v[i].n_params; j++) {
                        free(v[i].params[j].key);
                        free(v[i].params[j].value);
                }
                free(v[i].params);
        }
        free(v);
}

int www_auth_parse(const char *header, struct auth_challenge **ret, size_t *ret_n, cpod_error_t *err)
{
        struct cur c = { header, 0, strlen(header) };
        struct auth_challenge *v = NULL;
        size_t n = 0;

        if (c.n > WWW_AUTH_MAX_LEN)
                return cpod_error_set(err, E2BIG, CPOD_E_CORRUPT, "WWW-Authenticate header too long");
        for (;;) {
                size_t s, l;
                int r;
                while (peek(&c) == ',' || peek(&c) == ' ' || peek(&c) == '\t')
                        c.i++;
                if (peek(&c) == '\0')
                        break;
                l = token(&c, &s);
                if (!l || n >= WWW_AUTH_MAX_PARAMS)
                        goto bad;
                v = xreallocarray(v, n + 1, sizeof(*v));
                memset(&v[n], 0, sizeof(v[n]));
                v[n++].scheme = lower_dup(header + s, l);
                if (peek(&c) == '\0' || peek(&c) == ',')
                        continue;
                if (peek(&c) != ' ' && peek(&c) != '\t')
                        goto bad;
                skip_ows(&c);
                if (peek(&c) == '\0' || peek(&c) == ',')
                        continue;
                r = challenge_body(&v[n - 1], &c);
                if (r < 0)
                        goto bad;
        }
        if (n == 0)
                goto bad;
        *ret = v;
        *ret_n = n;
        return 0;
bad:
        auth_challenges_free(v, n);
        return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "malformed WWW-Authenticate header");
}

const char *auth_challenge_param(const struct auth_challenge *c, const char *key)
{
        for (size_t i = 0; c && i < c->n_params; i++)
                if (strcasecmp(c->params[i].key, key) == 0)
                        return c->params[i].value;
        return NULL;
}

const struct auth_challenge *auth_challenge_find(const struct auth_challenge *v, size_t n, const char *scheme)
{
        for (size_t i = 0; i < n; i++)
                if (strcasecmp(v[i].scheme, scheme) == 0)
                        return &v[i];
        return NULL;
}
