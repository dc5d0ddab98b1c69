/* SPDX-License-Identifier: Apache-2.0 */
/* Registry endpoints: manifests, small blobs, tag lists, the catalog, login checks. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "image/docker/client-private.h"
#include "image/manifest.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

#define MANIFEST_ACCEPT MT_OCI_INDEX ", " MT_DOCKER_LIST ", " MT_OCI_MANIFEST ", " MT_DOCKER_MANIFEST
#define LIST_MAX_BODY (16u << 20)
#define LIST_MAX_PAGES 1000

static enum cpod_error_kind kind_for(long status)
{
        switch (status) {
        case 401:
        case 403:
                return CPOD_E_AUTH;
        case 404:
                return CPOD_E_NO_SUCH_IMAGE;
        default:
                return CPOD_E_INTERNAL;
        }
}

static int status_error(const struct reg_resp *r, cpod_error_t *err, const char *fmt, const char *a, const char *b,
                        const char *cc)
{
        _cleanup_free_ char *why = reg_error_text(r);
        _cleanup_free_ char *what = xasprintf(fmt, a, b, cc);
        int code = r->status == 404 ? ENOENT : r->status == 401 || r->status == 403 ? EACCES : EIO;

        return cpod_error_set(err, code, kind_for(r->status), "%s: %s", what, why);
}

/* The media type a manifest response declares: a hint for the parser, NULL to guess, or an error. */
static int manifest_type(const char *ct, char **ret, cpod_error_t *err)
{
        static const char *const known[] = { MT_OCI_INDEX,       MT_DOCKER_LIST, MT_OCI_MANIFEST,
                                             MT_DOCKER_MANIFEST, MT_DOCKER_V1,   MT_DOCKER_V1_SIGNED };
        static const char *const vague[] = { "", "application/json", "text/plain", "application/octet-stream",
                                             "binary/octet-stream" };
        _cleanup_free_ char *t = xstrndup(ct ? ct : "", strcspn(ct ? ct : "", "; \t"));

        *ret = NULL;
        for (size_t i = 0; i < ARRAY_SIZE(known); i++)
                if (strcmp(t, known[i]) == 0) {
                        *ret = TAKE_PTR(t);
                        return 0;
                }
        for (size_t i = 0; i < ARRAY_SIZE(vague); i++)
                if (strcmp(t, vague[i]) == 0)
                        return 0;
        return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "unsupported manifest media type \"%s\"", t);
}

int reg_get_manifest(struct reg_client *c, const char *repo, const char *ref, char **ret, size_t *ret_len,
                     char **ret_type, char ret_digest[72], cpod_error_t *err)
{
        _cleanup_free_ char *path = xasprintf("/v2/%s/manifests/%s", repo, ref), *scope = reg_scope_pull(repo);
        _cleanup_free_ char *mt = NULL;
        struct reg_resp resp = { 0 };
        char got[DIGEST_STR_MAX];
        int r;

        r = reg_request(c, "GET", path, MANIFEST_ACCEPT, scope, MANIFEST_MAX_SIZE, &resp, err);
        if (r < 0) {
                if (resp.too_big)
                        cpod_error_set(err, E2BIG, CPOD_E_CORRUPT, "manifest larger than %u bytes", MANIFEST_MAX_SIZE);
                reg_resp_clear(&resp);
                return cpod_error_wrap(err, "reading manifest %s in %s/%s", ref, c->host, repo);
        }
        if (resp.status != 200) {
                r = status_error(&resp, err, "reading manifest %s in %s/%s", ref, c->host, repo);
                reg_resp_clear(&resp);
                return r;
        }
        digest_buf(resp.body.buf, resp.body.len, got);
        if (strchr(ref, ':') && strcmp(ref, got) != 0) {
                reg_resp_clear(&resp);
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT,
                                      "reading manifest %s in %s/%s: manifest digest mismatch: got %s", ref, c->host,
                                      repo, got);
        }
        if (manifest_type(resp.content_type, &mt, err) < 0) {
                reg_resp_clear(&resp);
                return cpod_error_wrap(err, "reading manifest %s in %s/%s", ref, c->host, repo);
        }
        memcpy(ret_digest, got, DIGEST_STR_MAX);
        *ret_type = TAKE_PTR(mt);
        *ret = strbuf_detach(&resp.body, ret_len);
        reg_resp_clear(&resp);
        return 0;
}

int reg_head_manifest(struct reg_client *c, const char *repo, const char *ref, char ret_digest[72], cpod_error_t *err)
{
        _cleanup_free_ char *path = xasprintf("/v2/%s/manifests/%s", repo, ref), *scope = reg_scope_pull(repo);
        struct reg_resp resp = { 0 };
        int r = reg_request(c, "HEAD", path, MANIFEST_ACCEPT, scope, MANIFEST_MAX_SIZE, &resp, err);

        if (r < 0) {
                reg_resp_clear(&resp);
                return cpod_error_wrap(err, "checking manifest %s in %s/%s", ref, c->host, repo);
        }
        if (resp.status != 200) {
                r = status_error(&resp, err, "checking manifest %s in %s/%s", ref, c->host, repo);
        } else if (!resp.digest || !digest_valid(resp.digest)) {
                /* No usable Docker-Content-Digest: fall back to GET and hash. */
                char *buf = NULL, *mt = NULL;
                size_t len;
                r = reg_get_manifest(c, repo, ref, &buf, &len, &mt, ret_digest, err);
                free(buf);
                free(mt);
        } else {
                snprintf(ret_digest, DIGEST_STR_MAX, "%s", resp.digest);
        }
        reg_resp_clear(&resp);
        return r;
}

int reg_get_blob(struct reg_client *c, const char *repo, const char *digest, size_t max, char **ret, size_t *ret_len,
                 cpod_error_t *err)
{
        _cleanup_free_ char *path = xasprintf("/v2/%s/blobs/%s", repo, digest), *scope = reg_scope_pull(repo);
        struct reg_resp resp = { 0 };
        int r = reg_request(c, "GET", path, NULL, scope, max, &resp, err);

        if (r < 0) {
                reg_resp_clear(&resp);
                return cpod_error_wrap(err, "fetching blob %s from %s/%s", digest, c->host, repo);
        }
        if (resp.status != 200) {
                r = status_error(&resp, err, "fetching blob %s from %s/%s", digest, c->host, repo);
                reg_resp_clear(&resp);
                return r;
        }
        *ret = strbuf_detach(&resp.body, ret_len);
        reg_resp_clear(&resp);
        return 0;
}

/* Link: </v2/x/tags/list?last=a&n=100>; rel="next" -> "/v2/x/tags/list?last=a&n=100" */
static char *next_link(const char *link)
{
        const char *lt, *gt;

        if (!link || !strstr(link, "rel=\"next\"") || !(lt = strchr(link, '<')) || !(gt = strchr(lt, '>')))
                return NULL;
        if (lt[1] != '/' && strncmp(lt + 1, "http://", 7) != 0 && strncmp(lt + 1, "https://", 8) != 0)
                return NULL;
        return xstrndup(lt + 1, (size_t)(gt - lt - 1));
}

/* GET pages of a JSON list ({"tags": [...]} or {"repositories": [...]}) until done or max entries. */
static int get_list(struct reg_client *c, const char *first, const char *scope, const char *key, int max,
                    const char *what, char ***ret, cpod_error_t *err)
{
        _cleanup_strv_ char **out = xnew0(char *, 1);
        _cleanup_free_ char *url = xstrdup(first);

        for (int page = 0; url && page < LIST_MAX_PAGES; page++) {
                struct reg_resp resp = { 0 };
                _cleanup_json_ json_t *j = NULL;
                json_t *arr, *e;
                size_t i;

                if (reg_request(c, "GET", url, "application/json", scope, LIST_MAX_BODY, &resp, err) < 0) {
                        reg_resp_clear(&resp);
                        return cpod_error_wrap(err, "%s", what);
                }
                if (resp.status != 200) {
                        int r = status_error(&resp, err, "%s%s%s", what, "", "");
                        reg_resp_clear(&resp);
                        return r;
                }
                j = json_parse_buf(resp.body.buf, resp.body.len, what, err);
                free(url);
                url = next_link(resp.link);
                reg_resp_clear(&resp);
                if (!j)
                        return cpod_error_rc(err, -EINVAL);
                arr = json_object_get(j, key);
                json_array_foreach(arr, i, e) {
                        if (json_is_string(e))
                                strv_add(&out, json_string_value(e));
                        if (max > 0 && (int)strv_length(out) >= max) {
                                free(url);
                                url = NULL;
                                break;
                        }
                }
        }
        *ret = TAKE_PTR(out);
        return 0;
}

int reg_list_tags(struct reg_client *c, const char *repo, char ***ret, cpod_error_t *err)
{
        _cleanup_free_ char *path = xasprintf("/v2/%s/tags/list", repo), *scope = reg_scope_pull(repo);
        _cleanup_free_ char *what = xasprintf("fetching tags list of %s/%s", c->host, repo);

        return get_list(c, path, scope, "tags", 0, what, ret, err);
}

int reg_catalog(struct reg_client *c, int max, char ***ret, cpod_error_t *err)
{
        _cleanup_free_ char *what = xasprintf("fetching catalog of %s", c->host);
        _cleanup_free_ char *path = max > 0 ? xasprintf("/v2/_catalog?n=%d", max) : xstrdup("/v2/_catalog");

        return get_list(c, path, "registry:catalog:*", "repositories", max, what, ret, err);
}

int reg_check_login(struct reg_client *c, cpod_error_t *err)
{
        struct reg_resp resp = { 0 };
        int r;

        if (reg_request(c, "GET", "/v2/", NULL, NULL, REG_SMALL_BODY_MAX, &resp, err) < 0) {
                reg_resp_clear(&resp);
                if (err && err->kind == CPOD_E_AUTH)
                        return cpod_error_set(err, EACCES, CPOD_E_AUTH, "invalid username/password");
                return cpod_error_rc(err, -EIO);
        }
        if (resp.status == 401 || resp.status == 403)
                r = cpod_error_set(err, EACCES, CPOD_E_AUTH, "invalid username/password");
        else if (resp.status != 200)
                r = status_error(&resp, err, "checking login to %s%s%s", c->host, "", "");
        else
                r = 0;
        reg_resp_clear(&resp);
        return r;
}
