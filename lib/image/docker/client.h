/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A Docker Registry HTTP API v2 / OCI distribution client on libcurl.
 *
 * One client per registry host.  It pings /v2/ once to learn the scheme
 * (https, or http for insecure registries) and the authentication the
 * registry wants (none, Basic, or Bearer tokens from a realm), keeps
 * Bearer tokens per scope in memory, and retries transient failures
 * (connection resets, timeouts, 5xx, 429) with backoff.  Connection
 * refusals are not retried, so a dead mirror is skipped at once.
 *
 * Threads: a client may be shared by the threads that stream blobs; the
 * token cache and the curl share handle (connections, DNS, TLS sessions)
 * are locked.  Each request or blob stream has its own easy handle.
 *
 * Threat model: the registry, its token server and any host it redirects
 * to are untrusted.  Bodies read into memory are bounded by the caller's
 * max; headers are bounded; credentials go only to the registry host and
 * its token realm (curl drops the Authorization header on redirects to
 * another host or port); redirects may only go to http(s), and from https
 * only to https.
 */
#ifndef CPOD_IMAGE_DOCKER_CLIENT_H
#define CPOD_IMAGE_DOCKER_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cpod/error.h>

#include "image/source.h"

struct reg_opts {
        const char *authfile;   /* --authfile, or NULL for the search order */
        const char *creds;      /* --creds "user[:pass]", or NULL */
        const char *cert_dir;   /* --cert-dir, or NULL for certs.d */
        int tls_verify;         /* -1: registries.conf decides; 0: allow http and unverified TLS; 1: require */
        int retries;            /* transient failures retried this many times; < 0: default (3) */
        int64_t retry_delay_ms; /* fixed delay between retries; < 0: 2 s, doubling */
};

struct reg_client;

/*
 * host: "host[:port]" as in the reference ("docker.io" is reached at
 * registry-1.docker.io).  insecure: registries.conf's verdict for it.
 */
int reg_client_new(const char *host, bool insecure, const struct reg_opts *o, struct reg_client **ret,
                   cpod_error_t *err);
struct reg_client *reg_client_free(struct reg_client *c);
const char *reg_client_host(const struct reg_client *c);

/* GET /v2/: choose the scheme and learn the auth challenge.  Done lazily by every call below. */
int reg_ping(struct reg_client *c, cpod_error_t *err);
/* Check that the client's credentials are accepted (login): CPOD_E_AUTH when not. */
int reg_check_login(struct reg_client *c, cpod_error_t *err);

/*
 * GET a manifest by tag or digest.  *ret_type gets the media type (from
 * Content-Type, or NULL when it says nothing useful), *ret_digest the
 * sha256 of the bytes; when ref is a digest the bytes must match it.
 */
int reg_get_manifest(struct reg_client *c, const char *repo, const char *ref, char **ret, size_t *ret_len,
                     char **ret_type, char ret_digest[72], cpod_error_t *err);
/* HEAD a manifest: its digest (Docker-Content-Digest), for --pull=newer. */
int reg_head_manifest(struct reg_client *c, const char *repo, const char *ref, char ret_digest[72], cpod_error_t *err);
/* GET a small blob (a config) into memory, at most max bytes.  Not verified here. */
int reg_get_blob(struct reg_client *c, const char *repo, const char *digest, size_t max, char **ret, size_t *ret_len,
                 cpod_error_t *err);

/* Progress of a streamed blob: bytes received so far, of total (-1 unknown). */
typedef void (*reg_progress_fn)(void *ud, int64_t received, int64_t total);
/*
 * Open a blob as a stream (one pass, resumed with a Range request after a
 * connection failure).  size: the manifest's size, enforced when >= 0.
 */
int reg_open_blob(struct reg_client *c, const char *repo, const char *digest, int64_t size, reg_progress_fn progress,
                  void *progress_ud, struct blob *ret, cpod_error_t *err);

/* HEAD a blob: 1 when the repository has it, 0 when not, < 0 on error. */
int reg_blob_exists(struct reg_client *c, const char *repo, const char *digest, cpod_error_t *err);
/*
 * Upload size bytes of fd (or of data when fd < 0) as blob digest (POST then one PUT).  mount_from: a repository of the
 * same registry to mount the blob from instead when it has it (may be NULL).
 */
int reg_upload_blob(struct reg_client *c, const char *repo, const char *digest, const char *data, int fd, int64_t size,
                    const char *mount_from, cpod_error_t *err);
/* PUT a manifest under ref (a tag or its digest). */
int reg_put_manifest(struct reg_client *c, const char *repo, const char *ref, const char *data, size_t len,
                     const char *media_type, cpod_error_t *err);

/* GET /v2/REPO/tags/list (all pages).  *ret NULL-terminated. */
int reg_list_tags(struct reg_client *c, const char *repo, char ***ret, cpod_error_t *err);
/* GET /v2/_catalog (pages until max entries; max <= 0: all).  *ret NULL-terminated. */
int reg_catalog(struct reg_client *c, int max, char ***ret, cpod_error_t *err);

/* Upper bound on an error body or a token response kept in memory. */
#define REG_SMALL_BODY_MAX (1u << 20)

#endif
