/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pushing to a registry: is a blob there (HEAD), monolithic blob uploads
 * (POST for an upload session, then one PUT with the digest), cross-repository
 * mounts, and manifest PUTs.
 *
 * Threat model: the registry chooses the upload URL (Location).  Requests to
 * it carry our credentials, so it must stay on the registry's own origin.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "image/docker/client-private.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/xalloc.h"

static int status_error(const struct reg_resp *r, cpod_error_t *err, const char *what)
{
        _cleanup_free_ char *why = reg_error_text(r);
        bool denied = r->status == 401 || r->status == 403;

        return cpod_error_set(err, denied ? EACCES : EIO, denied ? CPOD_E_AUTH : CPOD_E_INTERNAL, "%s: %s", what, why);
}

int reg_blob_exists(struct reg_client *c, const char *repo, const char *digest, cpod_error_t *err)
{
        _cleanup_free_ char *path = xasprintf("/v2/%s/blobs/%s", repo, digest), *scope = reg_scope_push(repo);
        struct reg_resp resp = { 0 };
        int r = reg_request(c, "HEAD", path, NULL, scope, 0, &resp, err);

        if (r == 0) {
                if (resp.status == 200)
                        r = 1;
                else if (resp.status != 404) {
                        _cleanup_free_ char *what =
                                xasprintf("checking whether a blob %s exists in %s/%s", digest, c->host, repo);
                        r = status_error(&resp, err, what);
                }
        }
        reg_resp_clear(&resp);
        return r;
}

/* The upload URL from a Location header: a path, or an absolute URL on the registry's own origin. */
static int upload_url(struct reg_client *c, const char *loc, const char *digest, char **ret, cpod_error_t *err)
{
        const char *sep;

        if (!loc || !*loc)
                return cpod_error_set(err, EPROTO, CPOD_E_INTERNAL, "registry %s sent no upload location", c->host);
        if (loc[0] != '/') {
                size_t n = strlen(c->base);
                if (strncmp(loc, c->base, n) != 0 || loc[n] != '/')
                        return cpod_error_set(err, EPROTO, CPOD_E_INTERNAL,
                                              "registry %s sent an upload location on another host: %s", c->host, loc);
        }
        sep = strchr(loc, '?') ? "&" : "?";
        *ret = xasprintf("%s%sdigest=%s", loc, sep, digest);
        return 0;
}

int reg_upload_blob(struct reg_client *c, const char *repo, const char *digest, const char *data, int fd, int64_t size,
                    const char *mount_from, cpod_error_t *err)
{
        _cleanup_free_ char *scope = reg_scope_push(repo), *put = NULL, *what = NULL;
        _cleanup_free_ char *post =
                mount_from ? xasprintf("/v2/%s/blobs/uploads/?mount=%s&from=%s", repo, digest, mount_from)
                           : xasprintf("/v2/%s/blobs/uploads/", repo);
        struct reg_body body = {
                .data = data, .fd = fd, .len = (size_t)size, .content_type = "application/octet-stream"
        };
        struct reg_resp resp = { 0 };
        int r;

        what = xasprintf("uploading blob %s to %s/%s", digest, c->host, repo);
        r = reg_request_body(c, "POST", post, NULL, scope, NULL, REG_SMALL_BODY_MAX, &resp, err);
        if (r == 0 && resp.status == 201 && mount_from) {
                reg_resp_clear(&resp);
                return 0; /* mounted from the other repository */
        }
        if (r == 0 && resp.status == 202 && mount_from && !data && fd < 0)
                r = cpod_error_set(err, ENOENT, CPOD_E_INTERNAL, "%s: the registry did not mount it", what);
        else if (r == 0 && resp.status != 202)
                r = status_error(&resp, err, what);
        if (r == 0)
                r = upload_url(c, resp.location, digest, &put, err);
        reg_resp_clear(&resp);
        if (r == 0)
                r = reg_request_body(c, "PUT", put, NULL, scope, &body, REG_SMALL_BODY_MAX, &resp, err);
        if (r == 0 && resp.status != 201)
                r = status_error(&resp, err, what);
        reg_resp_clear(&resp);
        if (r < 0 && !strstr(cpod_error_msg(err), what))
                cpod_error_wrap(err, "%s", what);
        return r;
}

int reg_put_manifest(struct reg_client *c, const char *repo, const char *ref, const char *data, size_t len,
                     const char *media_type, cpod_error_t *err)
{
        _cleanup_free_ char *path = xasprintf("/v2/%s/manifests/%s", repo, ref), *scope = reg_scope_push(repo);
        struct reg_body body = { .data = data, .len = len, .fd = -1, .content_type = media_type };
        struct reg_resp resp = { 0 };
        int r = reg_request_body(c, "PUT", path, NULL, scope, &body, REG_SMALL_BODY_MAX, &resp, err);

        if (r == 0 && resp.status != 201 && resp.status != 200) {
                _cleanup_free_ char *what = xasprintf("writing manifest %s to %s/%s", ref, c->host, repo);
                r = status_error(&resp, err, what);
        } else if (r < 0) {
                cpod_error_wrap(err, "writing manifest %s to %s/%s", ref, c->host, repo);
        }
        reg_resp_clear(&resp);
        return r;
}
