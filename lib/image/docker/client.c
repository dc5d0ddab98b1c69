/* SPDX-License-Identifier: Apache-2.0 */
/* Registry client: setup, TLS, the curl share handle, retries (see client.h). */
#include "image/docker/client-private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cpod/runtime.h>

#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/log.h"
#include "util/strv.h"
#include "util/shims.h"
#include "util/xalloc.h"

#define DEFAULT_RETRIES 3
#define DEFAULT_STALL_SECS 30
#define CONNECT_TIMEOUT_SECS 30
#define CA_BUNDLE_MAX (16u << 20)

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
        curl_global_init(CURL_GLOBAL_DEFAULT);
}

int64_t reg_now(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec;
}

static void share_lock(CURL *h, curl_lock_data data, curl_lock_access access, void *ud)
{
        struct reg_client *c = ud;

        (void)h;
        (void)access;
        pthread_mutex_lock(&c->share_locks[data]);
}

static void share_unlock(CURL *h, curl_lock_data data, void *ud)
{
        struct reg_client *c = ud;

        (void)h;
        pthread_mutex_unlock(&c->share_locks[data]);
}

/* The system bundle plus the certs.d CAs, as one PEM blob for CURLOPT_CAINFO_BLOB. */
static int build_ca_blob(struct reg_client *c, cpod_error_t *err)
{
        const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
        struct strbuf sb = STRBUF_INIT;

        if (!c->tls.ca_files || !c->tls.ca_files[0])
                return 0;
        if (v->cainfo && path_exists(v->cainfo)) {
                _cleanup_free_ char *sys = NULL;
                size_t len;
                if (read_file(v->cainfo, &sys, &len, CA_BUNDLE_MAX, err) < 0)
                        return cpod_error_rc(err, -EIO);
                strbuf_add(&sb, sys, len);
                strbuf_addch(&sb, '\n');
        }
        for (char **f = c->tls.ca_files; *f; f++) {
                _cleanup_free_ char *pem = NULL;
                size_t len;
                if (read_file(*f, &pem, &len, CA_BUNDLE_MAX, err) < 0) {
                        strbuf_release(&sb);
                        return cpod_error_wrap(err, "reading CA certificate");
                }
                strbuf_add(&sb, pem, len);
                strbuf_addch(&sb, '\n');
        }
        c->ca_blob = strbuf_detach(&sb, &c->ca_blob_len);
        return 0;
}

static int load_creds(struct reg_client *c, const struct reg_opts *o, cpod_error_t *err)
{
        int r;

        if (o->creds && *o->creds) {
                const char *colon = strchr(o->creds, ':');
                if (colon == o->creds)
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid credentials: username is empty");
                c->cred.user = colon ? xstrndup(o->creds, (size_t)(colon - o->creds)) : xstrdup(o->creds);
                c->cred.pass = xstrdup(colon ? colon + 1 : "");
                c->have_cred = true;
                return 0;
        }
        r = authfile_lookup(o->authfile, c->host, NULL, &c->cred, &c->cred_origin, err);
        if (r < 0)
                return r;
        c->have_cred = r > 0 && c->cred.user;
        return 0;
}

int reg_client_new(const char *host, bool insecure, const struct reg_opts *o, struct reg_client **ret,
                   cpod_error_t *err)
{
        struct reg_client *c;
        const char *stall = getenv("CPOD_REGISTRY_STALL_TIMEOUT");

        if (curl_shim_open(err) < 0 || crypto_shim_open(err) < 0)
                return cpod_error_rc(err, -ELIBACC);
        c = xzalloc(sizeof(*c));
        pthread_once(&curl_once, curl_init_once);
        c->host = xstrdup(host);
        c->api_host = xstrdup(strcmp(host, "docker.io") == 0 ? "registry-1.docker.io" : host);
        c->insecure = o->tls_verify == 0 || (o->tls_verify < 0 && insecure);
        c->verify = !c->insecure;
        c->retries = o->retries < 0 ? DEFAULT_RETRIES : o->retries;
        c->retry_delay_ms = o->retry_delay_ms;
        c->stall_secs = stall && atol(stall) > 0 ? atol(stall) : DEFAULT_STALL_SECS;
        pthread_mutex_init(&c->lock, NULL);
        for (size_t i = 0; i < CURL_LOCK_DATA_LAST; i++)
                pthread_mutex_init(&c->share_locks[i], NULL);
        c->share = curl_share_init();
        curl_share_setopt(c->share, CURLSHOPT_LOCKFUNC, share_lock);
        curl_share_setopt(c->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
        curl_share_setopt(c->share, CURLSHOPT_USERDATA, c);
        curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
        curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
        curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
        if (tls_files_for(host, o->cert_dir, &c->tls, err) < 0 || build_ca_blob(c, err) < 0 ||
            load_creds(c, o, err) < 0) {
                reg_client_free(c);
                return cpod_error_rc(err, -EINVAL);
        }
        *ret = c;
        return 0;
}

struct reg_client *reg_client_free(struct reg_client *c)
{
        if (!c)
                return NULL;
        curl_share_cleanup(c->share);
        for (size_t i = 0; i < CURL_LOCK_DATA_LAST; i++)
                pthread_mutex_destroy(&c->share_locks[i]);
        pthread_mutex_destroy(&c->lock);
        for (size_t i = 0; i < c->n_tokens; i++) {
                free(c->tokens[i].scope);
                free(c->tokens[i].token);
        }
        free(c->tokens);
        free(c->realm);
        free(c->service);
        cred_clear(&c->cred);
        free(c->cred_origin);
        free(c->ca_blob);
        tls_files_clear(&c->tls);
        free(c->base);
        free(c->api_host);
        free(c->host);
        free(c);
        return NULL;
}

const char *reg_client_host(const struct reg_client *c)
{
        return c->host;
}

static int64_t mono_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int stall_cb(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
        struct reg_stall *st = ud;
        int64_t now = mono_ms();

        (void)dltotal;
        (void)ultotal;
        if (dlnow + ulnow != st->last_bytes) {
                st->last_bytes = dlnow + ulnow;
                st->last_ms = now;
                return 0;
        }
        if (now - st->last_ms > st->limit_ms) {
                st->tripped = true;
                return 1;
        }
        return 0;
}

const char *reg_stall_text(const struct reg_stall *st, CURLcode rc, const char *errbuf, char buf[REG_STALL_TEXT_MAX])
{
        if (st && st->tripped) {
                snprintf(buf, REG_STALL_TEXT_MAX, "timed out: no data received for %lld seconds",
                         (long long)(st->limit_ms / 1000));
                return buf;
        }
        return errbuf && *errbuf ? errbuf : curl_easy_strerror(rc);
}

void reg_easy_setup(struct reg_client *c, CURL *e, struct reg_stall *st)
{
        _cleanup_free_ char *ua = xasprintf("cpod/%s", cpod_version());

        curl_easy_setopt(e, CURLOPT_SHARE, c->share);
        curl_easy_setopt(e, CURLOPT_USERAGENT, ua);
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, (long)CONNECT_TIMEOUT_SECS);
        if (st) {
                memset(st, 0, sizeof(*st));
                st->limit_ms = c->stall_secs * 1000;
                st->last_ms = mono_ms();
                curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, stall_cb);
                curl_easy_setopt(e, CURLOPT_XFERINFODATA, st);
                curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
        }
        curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(e, CURLOPT_MAXREDIRS, 10L);
        curl_easy_setopt(e, CURLOPT_UNRESTRICTED_AUTH, 0L);
        curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR,
                         c->base && strncmp(c->base, "https:", 6) == 0 ? "https" : "http,https");
        curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, NULL);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, c->verify ? 1L : 0L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, c->verify ? 2L : 0L);
        if (c->ca_blob) {
                struct curl_blob b = { c->ca_blob, c->ca_blob_len, CURL_BLOB_NOCOPY };
                curl_easy_setopt(e, CURLOPT_CAINFO_BLOB, &b);
        }
        if (c->tls.client_cert) {
                curl_easy_setopt(e, CURLOPT_SSLCERT, c->tls.client_cert);
                curl_easy_setopt(e, CURLOPT_SSLKEY, c->tls.client_key);
        }
}

bool reg_status_transient(long status)
{
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

bool reg_curl_transient(CURLcode rc)
{
        switch (rc) {
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE:
        case CURLE_OPERATION_TIMEDOUT:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
        case CURLE_SSL_CONNECT_ERROR:
                return true;
        default:
                return false;
        }
}

void reg_backoff(const struct reg_client *c, int attempt)
{
        int64_t ms = c->retry_delay_ms >= 0 ? c->retry_delay_ms : 2000LL << (attempt < 6 ? attempt : 6);
        struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

        log_debug("registry %s: retrying in %lld ms", c->host, (long long)ms);
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                ;
}

char *reg_scope_pull(const char *repo)
{
        return xasprintf("repository:%s:pull", repo);
}

char *reg_scope_push(const char *repo)
{
        return xasprintf("repository:%s:pull,push", repo);
}

void reg_resp_clear(struct reg_resp *r)
{
        free(r->location);
        free(r->content_type);
        free(r->digest);
        free(r->www_auth);
        free(r->link);
        free(r->retry_after);
        strbuf_release(&r->body);
        memset(r, 0, sizeof(*r));
}
