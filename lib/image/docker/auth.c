/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Registry authentication: Basic, and the Bearer token flow of the
 * distribution spec (WWW-Authenticate: Bearer realm=...,service=...,scope=...
 * -> GET realm?service=...&scope=... with Basic credentials if any ->
 * {"token": ..., "expires_in": ...}).  Tokens are cached per scope until
 * shortly before they expire.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "image/docker/client-private.h"
#include "image/docker/www-auth.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/log.h"
#include "util/xalloc.h"

#define TOKEN_DEFAULT_TTL 60
#define TOKEN_MARGIN 10

static size_t body_cb(char *buf, size_t size, size_t n, void *ud)
{
        struct reg_resp *r = ud;

        if (r->body.len + size * n > r->max_body) {
                r->too_big = true;
                return 0;
        }
        strbuf_add(&r->body, buf, size * n);
        return size * n;
}

static char *escape(CURL *e, const char *s)
{
        char *x = curl_easy_escape(e, s, 0);
        char *r = xstrdup(x);

        curl_free(x);
        return r;
}

/* GET realm?service=&scope= once (the caller retries).  Token in *ret. */
static int fetch_token_once(struct reg_client *c, const char *realm, const char *service, const char *scope, char **ret,
                            int64_t *ret_ttl, long *ret_status, CURLcode *ret_rc, cpod_error_t *err)
{
        CURL *e = curl_easy_init();
        struct reg_resp resp = { .max_body = REG_SMALL_BODY_MAX };
        struct strbuf url = STRBUF_INIT;
        _cleanup_json_ json_t *j = NULL;
        const char *tok;
        struct reg_stall st;
        char errbuf[CURL_ERROR_SIZE] = "";
        CURLcode rc;
        int r = 0;

        strbuf_addstr(&url, realm);
        strbuf_addch(&url, strchr(realm, '?') ? '&' : '?');
        if (service) {
                _cleanup_free_ char *s = escape(e, service);
                strbuf_addf(&url, "service=%s", s);
        }
        if (scope) {
                _cleanup_free_ char *s = escape(e, scope);
                strbuf_addf(&url, "%sscope=%s", service ? "&" : "", s);
        }
        reg_easy_setup(c, e, &st);
        curl_easy_setopt(e, CURLOPT_URL, url.buf);
        curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
        curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, strncmp(realm, "https:", 6) == 0 ? "https" : "http,https");
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, body_cb);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, &resp);
        curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, reg_header_cb);
        curl_easy_setopt(e, CURLOPT_HEADERDATA, &resp);
        if (c->have_cred) {
                curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
                curl_easy_setopt(e, CURLOPT_USERNAME, c->cred.user);
                curl_easy_setopt(e, CURLOPT_PASSWORD, c->cred.pass);
        }
        rc = curl_easy_perform(e);
        if (st.tripped)
                rc = CURLE_OPERATION_TIMEDOUT;
        *ret_rc = rc;
        *ret_status = resp.status;
        if (rc != CURLE_OK) {
                char stall[REG_STALL_TEXT_MAX];
                r = cpod_error_set(err, EIO, CPOD_E_INTERNAL, "requesting bearer token: Get \"%s\": %s", realm,
                                   reg_stall_text(&st, rc, errbuf, stall));
        } else if (resp.status == 401 || resp.status == 403) {
                r = cpod_error_set(err, EACCES, CPOD_E_AUTH,
                                   "unable to retrieve auth token: invalid username/password: "
                                   "unauthorized: authentication required");
        } else if (resp.status != 200) {
                _cleanup_free_ char *why = reg_error_text(&resp);
                r = cpod_error_set(err, EIO, CPOD_E_AUTH, "requesting bearer token from %s: %s", realm, why);
        } else if (!(j = json_parse_buf(resp.body.buf, resp.body.len, "token response", err))) {
                r = -EINVAL;
        } else if (!(tok = json_get_str(j, "token")) && !(tok = json_get_str(j, "access_token"))) {
                r = cpod_error_set(err, EINVAL, CPOD_E_AUTH, "token response from %s has no token", realm);
        } else {
                json_int_t ttl = json_get_int(j, "expires_in", TOKEN_DEFAULT_TTL);
                *ret = xstrdup(tok);
                *ret_ttl = ttl > TOKEN_MARGIN * 2 ? ttl - TOKEN_MARGIN : TOKEN_DEFAULT_TTL - TOKEN_MARGIN;
        }
        reg_resp_clear(&resp);
        strbuf_release(&url);
        curl_easy_cleanup(e);
        return r;
}

static int fetch_token(struct reg_client *c, const char *realm, const char *service, const char *scope, char **ret,
                       int64_t *ret_ttl, cpod_error_t *err)
{
        for (int attempt = 0;; attempt++) {
                long status = 0;
                CURLcode rc = CURLE_OK;
                int r = fetch_token_once(c, realm, service, scope, ret, ret_ttl, &status, &rc, err);
                if (r == 0 || attempt >= c->retries || !(reg_curl_transient(rc) || reg_status_transient(status)))
                        return r;
                cpod_error_clear(err);
                reg_backoff(c, attempt);
        }
}

/* Caller holds c->lock. */
static struct reg_token *cached(struct reg_client *c, const char *scope)
{
        for (size_t i = 0; i < c->n_tokens; i++)
                if (strcmp(c->tokens[i].scope, scope) == 0)
                        return &c->tokens[i];
        return NULL;
}

static char *basic_header(const struct cred *cr)
{
        _cleanup_free_ char *raw = xasprintf("%s:%s", cr->user, cr->pass ? cr->pass : "");
        _cleanup_free_ char *b64 = base64_encode(raw, strlen(raw));

        explicit_bzero(raw, strlen(raw));
        return xasprintf("Authorization: Basic %s", b64);
}

int reg_auth_header(struct reg_client *c, const char *scope, char **ret, cpod_error_t *err)
{
        _cleanup_free_ char *realm = NULL, *service = NULL, *tok = NULL;
        const char *sc = scope ? scope : "";
        struct reg_token *t;
        int64_t ttl = 0;

        *ret = NULL;
        pthread_mutex_lock(&c->lock);
        if (c->auth == REG_AUTH_BASIC) {
                if (c->have_cred)
                        *ret = basic_header(&c->cred);
                pthread_mutex_unlock(&c->lock);
                return 0;
        }
        if (c->auth != REG_AUTH_BEARER) {
                pthread_mutex_unlock(&c->lock);
                return 0;
        }
        t = cached(c, sc);
        if (t && t->expires > reg_now()) {
                *ret = xasprintf("Authorization: Bearer %s", t->token);
                pthread_mutex_unlock(&c->lock);
                return 0;
        }
        realm = xstrdup(c->realm);
        service = xstrdup(c->service);
        pthread_mutex_unlock(&c->lock);

        /* Fetched without the lock: parallel streams of one scope may each fetch; the last one is cached. */
        if (fetch_token(c, realm, service, scope, &tok, &ttl, err) < 0)
                return cpod_error_rc(err, -EACCES);
        pthread_mutex_lock(&c->lock);
        t = cached(c, sc);
        if (!t) {
                c->tokens = xreallocarray(c->tokens, c->n_tokens + 1, sizeof(*c->tokens));
                t = &c->tokens[c->n_tokens++];
                t->scope = xstrdup(sc);
                t->token = NULL;
        }
        free(t->token);
        t->token = xstrdup(tok);
        t->expires = reg_now() + ttl;
        pthread_mutex_unlock(&c->lock);
        *ret = xasprintf("Authorization: Bearer %s", tok);
        return 0;
}

int reg_auth_challenged(struct reg_client *c, const char *www_auth, const char *scope, cpod_error_t *err)
{
        struct auth_challenge *v = NULL;
        size_t n = 0;
        const struct auth_challenge *ch;
        int r = 0;

        if (!www_auth || www_auth_parse(www_auth, &v, &n, err) < 0) {
                cpod_error_clear(err);
                return 0;
        }
        pthread_mutex_lock(&c->lock);
        if ((ch = auth_challenge_find(v, n, "bearer")) && auth_challenge_param(ch, "realm")) {
                const char *realm = auth_challenge_param(ch, "realm");
                struct reg_token *t = cached(c, scope ? scope : "");
                r = 1; /* the caller retries once */
                if (t)
                        t->expires = 0;
                if (strncmp(realm, "https://", 8) != 0 && strncmp(realm, "http://", 7) != 0) {
                        r = cpod_error_set(err, EINVAL, CPOD_E_AUTH, "registry %s: unsupported token realm \"%s\"",
                                           c->host, realm);
                } else {
                        free(c->realm);
                        free(c->service);
                        c->realm = xstrdup(realm);
                        c->service = xstrdup(auth_challenge_param(ch, "service"));
                        c->auth = REG_AUTH_BEARER;
                }
        } else if (auth_challenge_find(v, n, "basic")) {
                r = c->auth != REG_AUTH_BASIC && c->have_cred ? 1 : 0;
                c->auth = REG_AUTH_BASIC;
        }
        pthread_mutex_unlock(&c->lock);
        auth_challenges_free(v, n);
        return r;
}
