/* SPDX-License-Identifier: Apache-2.0 */
/* One registry request: ping, authorization, retries, bounded bodies, error texts. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "image/docker/client-private.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/log.h"
#include "util/xalloc.h"

#define ERROR_BODY_MAX (64u << 10)

/* Keeps the response headers we use; a status line starts a new response (redirects, 100). */
size_t reg_header_cb(char *buf, size_t size, size_t n, void *ud)
{
        struct reg_resp *r = ud;
        size_t len = size * n, klen;
        const char *colon;
        char **slot = NULL;
        _cleanup_free_ char *val = NULL;

        if (len >= 5 && strncmp(buf, "HTTP/", 5) == 0) {
                const char *sp = memchr(buf, ' ', len);
                free(r->content_type);
                free(r->digest);
                free(r->www_auth);
                free(r->link);
                free(r->retry_after);
                free(r->location);
                r->content_type = r->digest = r->www_auth = r->link = r->retry_after = r->location = NULL;
                r->content_length = -1;
                r->status = sp ? strtol(sp + 1, NULL, 10) : 0;
                return len;
        }
        colon = memchr(buf, ':', len);
        if (!colon)
                return len;
        klen = (size_t)(colon - buf);
        {
                const char *v = colon + 1, *end = buf + len;
                while (v < end && (*v == ' ' || *v == '\t'))
                        v++;
                while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
                        end--;
                val = xstrndup(v, (size_t)(end - v));
        }
#define IS(name) (klen == strlen(name) && strncasecmp(buf, name, klen) == 0)
        if (IS("content-type"))
                slot = &r->content_type;
        else if (IS("docker-content-digest"))
                slot = &r->digest;
        else if (IS("www-authenticate"))
                slot = &r->www_auth;
        else if (IS("link"))
                slot = &r->link;
        else if (IS("retry-after"))
                slot = &r->retry_after;
        else if (IS("location"))
                slot = &r->location;
        else if (IS("content-length"))
                r->content_length = strtoll(val, NULL, 10);
#undef IS
        if (slot && !*slot)
                *slot = TAKE_PTR(val);
        return len;
}

static size_t body_cb(char *buf, size_t size, size_t n, void *ud)
{
        struct reg_resp *r = ud;
        size_t len = size * n;
        size_t cap = r->status >= 300 || r->status < 200 ? ERROR_BODY_MAX : r->max_body;

        if (r->body.len + len > cap) {
                r->too_big = true;
                return 0;
        }
        strbuf_add(&r->body, buf, len);
        return len;
}

static char *full_url(const struct reg_client *c, const char *url)
{
        return url[0] == '/' ? xasprintf("%s%s", c->base, url) : xstrdup(url);
}

struct body_reader {
        const struct reg_body *b;
        size_t off;
        int err; /* errno of a failed read */
};

static size_t read_cb(char *buf, size_t size, size_t n, void *ud)
{
        struct body_reader *r = ud;
        size_t want = size * n, left = r->b->len - r->off;
        ssize_t got;

        if (want > left)
                want = left;
        if (want == 0)
                return 0;
        if (r->b->fd < 0) {
                memcpy(buf, r->b->data + r->off, want);
                r->off += want;
                return want;
        }
        got = pread(r->b->fd, buf, want, (off_t)r->off);
        if (got <= 0) {
                r->err = got < 0 ? errno : EIO;
                return CURL_READFUNC_ABORT;
        }
        r->off += (size_t)got;
        return (size_t)got;
}

/* The method and, for requests with a body, how curl reads it. */
static struct curl_slist *set_method(CURL *e, const char *method, struct body_reader *br, struct curl_slist *h)
{
        if (strcmp(method, "HEAD") == 0) {
                curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
                return h;
        }
        if (!br)
                return h;
        curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(e, CURLOPT_READFUNCTION, read_cb);
        curl_easy_setopt(e, CURLOPT_READDATA, br);
        curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, (curl_off_t)br->b->len);
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
        h = curl_slist_append(h, "Expect:");
        if (br->b->content_type) {
                _cleanup_free_ char *ct = xasprintf("Content-Type: %s", br->b->content_type);
                h = curl_slist_append(h, ct);
        }
        return h;
}

/* One attempt.  rc and resp->status tell what happened. */
static CURLcode perform(struct reg_client *c, const char *method, const char *url, const char *accept, const char *auth,
                        const struct reg_body *body, struct reg_resp *resp, char errbuf[CURL_ERROR_SIZE])
{
        static const struct reg_body empty = { .fd = -1 };
        struct body_reader br = { .b = body ? body : &empty };
        bool has_body = strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
        CURL *e = curl_easy_init();
        struct reg_stall st;
        struct curl_slist *h = NULL;
        size_t max = resp->max_body;
        CURLcode rc;

        reg_resp_clear(resp);
        resp->max_body = max;
        resp->content_length = -1;
        errbuf[0] = '\0';
        reg_easy_setup(c, e, &st);
        curl_easy_setopt(e, CURLOPT_URL, url);
        curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
        h = set_method(e, method, has_body ? &br : NULL, h);
        if (accept) {
                _cleanup_free_ char *a = xasprintf("Accept: %s", accept);
                h = curl_slist_append(h, a);
        }
        if (auth)
                h = curl_slist_append(h, auth);
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, reg_header_cb);
        curl_easy_setopt(e, CURLOPT_HEADERDATA, resp);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, body_cb);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, resp);
        rc = curl_easy_perform(e);
        if (st.tripped) {
                rc = CURLE_OPERATION_TIMEDOUT;
                char stall[REG_STALL_TEXT_MAX];
                snprintf(errbuf, CURL_ERROR_SIZE, "%s", reg_stall_text(&st, rc, NULL, stall));
        }
        if (rc == CURLE_WRITE_ERROR && resp->too_big && (resp->status < 200 || resp->status >= 300))
                rc = CURLE_OK; /* an error body cut short is fine */
        log_debug("%s %s -> %ld (%s)", method, url, resp->status, rc == CURLE_OK ? "ok" : curl_easy_strerror(rc));
        curl_slist_free_all(h);
        curl_easy_cleanup(e);
        return rc;
}

static int transport_error(struct reg_client *c, const char *method, const char *url, CURLcode rc,
                           const struct reg_resp *resp, const char *errbuf, cpod_error_t *err)
{
        const char *m = strcmp(method, "GET") == 0 ? "Get" : strcmp(method, "HEAD") == 0 ? "Head" : method;
        /* without the query: an upload URL's carries the registry's session state, long and of no use here */
        _cleanup_free_ char *shown = xstrndup(url, strcspn(url, "?"));

        (void)c;
        url = shown;
        if (rc == CURLE_WRITE_ERROR && resp->too_big)
                return cpod_error_set(err, E2BIG, CPOD_E_CORRUPT, "%s \"%s\": response larger than %zu bytes", m, url,
                                      resp->max_body);
        if (rc == CURLE_OPERATION_TIMEDOUT)
                return cpod_error_set(err, ETIMEDOUT, CPOD_E_TIMEOUT, "%s \"%s\": %s", m, url,
                                      *errbuf ? errbuf : curl_easy_strerror(rc));
        return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "%s \"%s\": %s", m, url,
                              *errbuf ? errbuf : curl_easy_strerror(rc));
}

int reg_ping(struct reg_client *c, cpod_error_t *err)
{
        static const char *const secure[] = { "https", NULL }, *const insecure[] = { "https", "http", NULL };
        const char *const *schemes = c->insecure ? insecure : secure;
        cpod_error_t last = CPOD_ERROR_INIT;

        pthread_mutex_lock(&c->lock);
        if (c->pinged) {
                pthread_mutex_unlock(&c->lock);
                return 0;
        }
        pthread_mutex_unlock(&c->lock);
        for (size_t i = 0; schemes[i]; i++) {
                _cleanup_free_ char *url = xasprintf("%s://%s/v2/", schemes[i], c->api_host);
                struct reg_resp resp = { .max_body = REG_SMALL_BODY_MAX };
                char errbuf[CURL_ERROR_SIZE];
                CURLcode rc;

                for (int attempt = 0;; attempt++) {
                        rc = perform(c, "GET", url, NULL, NULL, NULL, &resp, errbuf);
                        if (attempt >= c->retries ||
                            !((rc != CURLE_OK && reg_curl_transient(rc) && rc != CURLE_SSL_CONNECT_ERROR) ||
                              (rc == CURLE_OK && reg_status_transient(resp.status))))
                                break;
                        reg_backoff(c, attempt);
                }
                if (rc != CURLE_OK) {
                        transport_error(c, "GET", url, rc, &resp, errbuf, &last);
                        reg_resp_clear(&resp);
                        continue;
                }
                if (resp.status != 200 && resp.status != 401) {
                        _cleanup_free_ char *why = reg_error_text(&resp);
                        cpod_error_set(&last, EIO, CPOD_E_INTERNAL, "Get \"%s\": %s", url, why);
                        reg_resp_clear(&resp);
                        continue;
                }
                if (resp.status == 401)
                        (void)reg_auth_challenged(c, resp.www_auth, NULL, NULL);
                pthread_mutex_lock(&c->lock);
                if (c->auth == REG_AUTH_UNKNOWN)
                        c->auth = REG_AUTH_NONE;
                free(c->base);
                c->base = xasprintf("%s://%s", schemes[i], c->api_host);
                c->pinged = true;
                pthread_mutex_unlock(&c->lock);
                reg_resp_clear(&resp);
                cpod_error_clear(&last);
                return 0;
        }
        cpod_error_move(err, &last);
        return cpod_error_wrap(err, "pinging container registry %s", c->host);
}

int reg_request(struct reg_client *c, const char *method, const char *url, const char *accept, const char *scope,
                size_t max_body, struct reg_resp *resp, cpod_error_t *err)
{
        return reg_request_body(c, method, url, accept, scope, NULL, max_body, resp, err);
}

int reg_request_body(struct reg_client *c, const char *method, const char *url, const char *accept, const char *scope,
                     const struct reg_body *body, size_t max_body, struct reg_resp *resp, cpod_error_t *err)
{
        _cleanup_free_ char *full = NULL;
        bool auth_retried = false;

        if (reg_ping(c, err) < 0)
                return cpod_error_rc(err, -EIO);
        full = full_url(c, url);
        for (int attempt = 0;;) {
                _cleanup_free_ char *auth = NULL;
                char errbuf[CURL_ERROR_SIZE];
                CURLcode rc;

                if (reg_auth_header(c, scope, &auth, err) < 0)
                        return cpod_error_rc(err, -EACCES);
                resp->max_body = max_body;
                rc = perform(c, method, full, accept, auth, body, resp, errbuf);
                if (rc != CURLE_OK) {
                        if (reg_curl_transient(rc) && !resp->too_big && attempt < c->retries) {
                                reg_backoff(c, attempt++);
                                continue;
                        }
                        return transport_error(c, method, full, rc, resp, errbuf, err);
                }
                if (resp->status == 401 && !auth_retried) {
                        int r = reg_auth_challenged(c, resp->www_auth, scope, err);
                        if (r < 0)
                                return r;
                        if (r > 0) {
                                auth_retried = true;
                                continue;
                        }
                }
                if (reg_status_transient(resp->status) && attempt < c->retries) {
                        reg_backoff(c, attempt++);
                        continue;
                }
                return 0;
        }
}

static char *lower_spaces(const char *code)
{
        char *s = xstrdup(code);

        for (char *p = s; *p; p++)
                *p = *p == '_' ? ' ' : (char)tolower((unsigned char)*p);
        return s;
}

static const char *reason(long status)
{
        switch (status) {
        case 400:
                return "Bad Request";
        case 401:
                return "Unauthorized";
        case 403:
                return "Forbidden";
        case 404:
                return "Not Found";
        case 405:
                return "Method Not Allowed";
        case 429:
                return "Too Many Requests";
        case 500:
                return "Internal Server Error";
        case 502:
                return "Bad Gateway";
        case 503:
                return "Service Unavailable";
        case 504:
                return "Gateway Timeout";
        default:
                return "";
        }
}

char *reg_error_text(const struct reg_resp *r)
{
        _cleanup_json_ json_t *j = NULL;
        json_t *errs, *e0;
        const char *code, *msg;

        if (r->body.len && (j = json_loadb(r->body.buf, r->body.len, 0, NULL)) &&
            json_is_array(errs = json_object_get(j, "errors")) && (e0 = json_array_get(errs, 0)) &&
            (code = json_get_str(e0, "code"))) {
                _cleanup_free_ char *lc = lower_spaces(code);
                msg = json_get_str(e0, "message");
                if (msg && *msg)
                        return xasprintf("%s: %s", lc, msg);
                return xstrdup(lc);
        }
        if (r->status == 401)
                return xstrdup("unauthorized: authentication required");
        if (r->status == 429)
                return xstrdup("toomanyrequests: too many requests to registry");
        return xasprintf("invalid status code from registry %ld (%s)", r->status, reason(r->status));
}
