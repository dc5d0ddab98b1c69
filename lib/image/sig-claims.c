/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The keys a requirement names, and what a signature claims, for both kinds (simple signing with GPG, and
 * sigstore): the payload's critical.type, the manifest digest it was made
 * for, and its docker-reference judged by the requirement's signedIdentity.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "image/sig.h"

#include "image/docker/authfile.h"
#include "image/reference.h"
#include "util/fileutil.h"
#include "util/shims.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

/* The repository of a normalized reference: "host/ns/repo" without ":tag" or "@digest". */
char *sig_repo_of(const char *ref)
{
        struct image_ref r = { 0 };
        char *repo = NULL;

        if (image_ref_parse(ref, &r, NULL) == 0 && r.domain) {
                image_ref_normalize_docker(&r);
                repo = image_ref_repo(&r);
        }
        image_ref_clear(&r);
        return repo;
}

static char *normalized(const char *ref)
{
        struct image_ref r = { 0 };
        char *s = NULL;

        if (image_ref_parse(ref, &r, NULL) == 0 && r.domain) {
                image_ref_normalize_docker(&r);
                s = image_ref_string(&r);
        }
        image_ref_clear(&r);
        return s;
}

static bool same_repo(const char *a, const char *b)
{
        _cleanup_free_ char *x = sig_repo_of(a), *y = sig_repo_of(b);

        return x && y && strcmp(x, y) == 0;
}

static bool same_ref(const char *a, const char *b)
{
        _cleanup_free_ char *x = normalized(a), *y = normalized(b);

        return x && y && strcmp(x, y) == 0;
}

/* signedIdentity: does the signature's identity stand for the image being pulled? */
static bool identity_ok(const json_t *req, const char *pulled, const char *signed_ref, char **why)
{
        json_t *id = json_object_get(req, "signedIdentity");
        const char *type = id ? json_get_str(id, "type") : "matchRepoDigestOrExact";
        _cleanup_free_ char *remapped = NULL;

        if (!type)
                type = "";
        if (strcmp(type, "remapIdentity") == 0) {
                const char *prefix = json_get_str(id, "prefix"), *to = json_get_str(id, "signedPrefix");
                size_t n = prefix ? strlen(prefix) : 0;
                if (prefix && to && strncmp(pulled, prefix, n) == 0 && (!pulled[n] || strchr("/:@", pulled[n])))
                        pulled = remapped = xasprintf("%s%s", to, pulled + n);
                type = "matchRepoDigestOrExact";
        }
        if (strcmp(type, "matchExact") == 0 && same_ref(pulled, signed_ref))
                return true;
        if (strcmp(type, "matchRepoDigestOrExact") == 0 &&
            (strchr(pulled, '@') ? same_repo(pulled, signed_ref) : same_ref(pulled, signed_ref)))
                return true;
        if (strcmp(type, "matchRepository") == 0 && same_repo(pulled, signed_ref))
                return true;
        if (strcmp(type, "exactReference") == 0 && json_get_str(id, "dockerReference") &&
            same_ref(json_get_str(id, "dockerReference"), signed_ref))
                return true;
        if (strcmp(type, "exactRepository") == 0 && json_get_str(id, "dockerRepository") &&
            same_repo(json_get_str(id, "dockerRepository"), signed_ref))
                return true;
        *why = xasprintf("signature is for %s, not accepted for %s (signedIdentity %s)", signed_ref, pulled, type);
        return false;
}

bool sig_claims_ok(const json_t *req, const json_t *payload, const struct sig_context *ctx, const char *want_type,
                   char **why)
{
        json_t *crit = json_object_get(payload, "critical");
        const char *type = json_get_str(crit, "type"),
                   *digest = json_get_str(json_object_get(crit, "image"), "docker-manifest-digest"),
                   *ref = json_get_str(json_object_get(crit, "identity"), "docker-reference");

        if (!type || strcmp(type, want_type) != 0 || !digest || !ref) {
                *why = xstrdup("not a container signature");
                return false;
        }
        if (strcmp(digest, ctx->manifest_digest) != 0) {
                *why = xasprintf("signature is for manifest %s, not %s", digest, ctx->manifest_digest);
                return false;
        }
        return identity_ok(req, ctx->reference, ref, why);
}

void sig_keys_free(struct sig_key *keys)
{
        for (struct sig_key *k = keys; k && k->data; k++)
                free(k->data);
        free(keys);
}

static void add_key(struct sig_key **keys, size_t *n, char *data, size_t len, const char *what)
{
        *keys = xreallocarray(*keys, *n + 2, sizeof(**keys));
        (*keys)[*n] = (struct sig_key){ data, len, what };
        (*keys)[++*n] = (struct sig_key){ 0 };
}

int sig_keys_read(const json_t *req, const char *type, struct sig_key **ret, cpod_error_t *err)
{
        json_t *paths = json_object_get(req, "keyPaths"), *p;
        const char *path = json_get_str((json_t *)req, "keyPath"), *data = json_get_str((json_t *)req, "keyData");
        struct sig_key *keys = xnew0(struct sig_key, 1);
        size_t n = 0, i;

        if (!!path + !!paths + !!data != 1) {
                free(keys);
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "%s needs exactly one of keyPath, keyPaths and keyData", type);
        }
        if (path)
                paths = json_pack("[s]", path);
        else
                json_incref(paths);
        json_array_foreach(paths, i, p) {
                char *buf = NULL;
                size_t len;
                if (!json_is_string(p) || read_file(json_string_value(p), &buf, &len, 1 << 20, err) < 0) {
                        int r = json_is_string(p) ? cpod_error_rc(err, -EIO)
                                                  : cpod_error_set(err, EINVAL, CPOD_E_INVALID, "bad keyPaths");
                        json_decref(paths); /* p is one of its elements */
                        sig_keys_free(keys);
                        return r;
                }
                add_key(&keys, &n, buf, len, path ? path : json_string_value(p)); /* both owned by req */
        }
        json_decref(paths);
        if (data) {
                char *raw = NULL;
                size_t len;
                if (crypto_shim_open(err) < 0 || base64_decode(data, &raw, &len) < 0) {
                        sig_keys_free(keys);
                        return err && err->kind
                                       ? -ELIBACC
                                       : cpod_error_set(err, EINVAL, CPOD_E_INVALID, "%s keyData is not base64", type);
                }
                add_key(&keys, &n, raw, len, "keyData");
        }
        *ret = keys;
        return 0;
}
