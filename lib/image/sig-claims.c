/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a signature claims, for both kinds (simple signing with GPG, and
 * sigstore): the payload's critical.type, the manifest digest it was made
 * for, and its docker-reference judged by the requirement's signedIdentity.
 */
#include <stdlib.h>
#include <string.h>

#include "image/sig.h"

#include "image/reference.h"
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
