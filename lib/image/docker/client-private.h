/* SPDX-License-Identifier: Apache-2.0 */
/* Insides of the registry client, shared by lib/image/docker/ files. */
#ifndef CPOD_IMAGE_DOCKER_CLIENT_PRIVATE_H
#define CPOD_IMAGE_DOCKER_CLIENT_PRIVATE_H

#include <curl/curl.h>
#include <pthread.h>

#include "image/docker/authfile.h"
#include "image/docker/certs.h"
#include "image/docker/client.h"
#include "util/strbuf.h"

enum reg_auth { REG_AUTH_UNKNOWN, REG_AUTH_NONE, REG_AUTH_BASIC, REG_AUTH_BEARER };

struct reg_token {
        char *scope, *token;
        int64_t expires; /* monotonic seconds */
};

struct reg_client {
        char *host;     /* as named: "docker.io", "127.0.0.1:5000" */
        char *api_host; /* where it answers: "registry-1.docker.io" */
        char *base;     /* "https://api_host" once pinged */
        bool insecure;  /* http and unverified TLS allowed */
        bool verify;    /* verify the server certificate */
        struct tls_files tls;
        char *ca_blob; /* system bundle + certs.d CAs (PEM), or NULL for the system's only */
        size_t ca_blob_len;
        struct cred cred;
        bool have_cred;
        char *cred_origin; /* auth file the credentials came from, or NULL (--creds) */
        int retries;
        int64_t retry_delay_ms;
        long stall_secs; /* a transfer below 1 byte/s for this long fails */

        pthread_mutex_t lock; /* the fields below */
        bool pinged;
        enum reg_auth auth;
        char *realm, *service;
        struct reg_token *tokens;
        size_t n_tokens;

        CURLSH *share;
        pthread_mutex_t share_locks[CURL_LOCK_DATA_LAST];
};

struct reg_resp {
        long status;
        char *content_type, *digest, *www_auth, *link, *retry_after, *location;
        int64_t content_length;
        struct strbuf body;
        size_t max_body;
        bool too_big;
};
void reg_resp_clear(struct reg_resp *r);

/*
 * Stall detection: a transfer that receives nothing for the client's
 * stall time fails (curl's low-speed limit averages over several seconds,
 * which makes it slow to notice a server that stops mid-body).
 */
struct reg_stall {
        int64_t last_bytes, last_ms, limit_ms;
        bool tripped;
};

/* Common options on an easy handle: TLS, timeouts, redirects, user agent, share, stall detection. */
void reg_easy_setup(struct reg_client *c, CURL *e, struct reg_stall *st);
/* "no data received for N seconds" when st tripped, else curl's text.  Borrowed/static. */
#define REG_STALL_TEXT_MAX 96
/* The error text of a transfer: the stall timeout's (written into buf), else errbuf or curl's. */
const char *reg_stall_text(const struct reg_stall *st, CURLcode rc, const char *errbuf, char buf[REG_STALL_TEXT_MAX]);
/* "Authorization: ..." for scope (fetching a token when needed), or NULL when anonymous. */
int reg_auth_header(struct reg_client *c, const char *scope, char **ret, cpod_error_t *err);
/*
 * A 401 came back: learn the challenge, drop the cached token for scope.
 * Returns 1 when retrying with new authorization makes sense, 0 when not.
 */
int reg_auth_challenged(struct reg_client *c, const char *www_auth, const char *scope, cpod_error_t *err);

/* Header callback that fills a struct reg_resp (resets it at each new status line). */
size_t reg_header_cb(char *buf, size_t size, size_t n, void *ud);

/*
 * One request with auth and retries.  url: absolute, or a path below the
 * registry's base.  Returns 0 with *resp for any HTTP status, < 0 when no
 * answer could be had.
 */
int reg_request(struct reg_client *c, const char *method, const char *url, const char *accept, const char *scope,
                size_t max_body, struct reg_resp *resp, cpod_error_t *err);

/* A request body: bytes in memory, or the whole of a file (read with pread, so a retry starts over). */
struct reg_body {
        const char *data;
        size_t len;
        int fd; /* >= 0: send len bytes of this file instead of data */
        const char *content_type;
};
/* reg_request with a body (POST, PUT, PATCH); body NULL sends an empty one. */
int reg_request_body(struct reg_client *c, const char *method, const char *url, const char *accept, const char *scope,
                     const struct reg_body *body, size_t max_body, struct reg_resp *resp, cpod_error_t *err);

/* "manifest unknown: manifest unknown" from a registry error body, else the status. Caller frees. */
char *reg_error_text(const struct reg_resp *r);
/* Is this status worth a retry? */
bool reg_status_transient(long status);
/* Is this curl result worth a retry? */
bool reg_curl_transient(CURLcode rc);
/* Sleep before retry number attempt (0-based). */
void reg_backoff(const struct reg_client *c, int attempt);

/* "repository:REPO:pull" */
char *reg_scope_pull(const char *repo);
/* "repository:REPO:pull,push" */
char *reg_scope_push(const char *repo);

/* Monotonic seconds. */
int64_t reg_now(void);

#endif
