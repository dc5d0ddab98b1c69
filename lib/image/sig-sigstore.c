/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigstoreSigned: signatures attached to the image in its registry, as
 * cosign and containers/image lay them out.  When registries.d sets
 * use-sigstore-attachments for the repository, the manifest tagged
 * sha256-<manifest hex>.sig is fetched; each layer of media type
 * application/vnd.dev.cosign.simplesigning.v1+json is a payload (the
 * simple-signing JSON, critical.type "cosign container image signature")
 * whose signature is the base64 annotation dev.cosignproject.cosign/signature,
 * checked with the requirement's public key (keyPath, keyPaths or keyData:
 * PEM; ECDSA and RSA over SHA-256, or Ed25519) through OpenSSL.  One good
 * signature that claims this manifest digest and an accepted identity is
 * enough.  Keyless verification (fulcio, rekorPublicKey) is not done: such
 * a requirement is refused, never skipped.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "image/sig.h"

#include "image/docker/authfile.h"
#include "image/registries-d.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/shims.h"
#include "util/xalloc.h"

#define SIMPLESIGNING_TYPE "application/vnd.dev.cosign.simplesigning.v1+json"
#define SIGNATURE_ANNOTATION "dev.cosignproject.cosign/signature"
#define MAX_PAYLOAD (1 << 20)

static int denied(cpod_error_t *err, const char *fmt, const char *a, const char *b)
{
        return cpod_error_set(err, EACCES, CPOD_E_DENIED, fmt, a, b);
}

/* The requirement's public keys (PEM); keyless verification is refused. */
static int public_keys(const json_t *req, struct sig_key **ret, cpod_error_t *err)
{
        if (json_object_get(req, "fulcio") || json_object_get(req, "rekorPublicKeyPath") ||
            json_object_get(req, "rekorPublicKeyData"))
                return cpod_error_set(
                        err, ENOTSUP, CPOD_E_DENIED,
                        "sigstoreSigned with fulcio or rekor (keyless) verification is not supported by cpod");
        return sig_keys_read(req, "sigstoreSigned", ret, err);
}

/* Does sig (raw bytes) sign payload under the PEM public key? */
static bool verifies(const struct sig_key *pem, const unsigned char *sig, size_t siglen, const char *payload,
                     size_t len)
{
        BIO *bio = pem->len < INT32_MAX ? BIO_new_mem_buf(pem->data, (int)pem->len) : NULL;
        EVP_PKEY *key = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
        EVP_MD_CTX *ctx = key ? EVP_MD_CTX_new() : NULL;
        bool ok = false;

        if (ctx) {
                const EVP_MD *md = EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519 ? NULL : EVP_sha256();
                ok = EVP_DigestVerifyInit(ctx, NULL, md, NULL, key) == 1 &&
                     EVP_DigestVerify(ctx, sig, siglen, (const unsigned char *)payload, len) == 1;
        }
        EVP_MD_CTX_free(ctx);
        EVP_PKEY_free(key);
        if (bio)
                BIO_free(bio);
        return ok;
}

static bool attachments_enabled(const char *repo, cpod_error_t *err, int *r)
{
        _cleanup_json_ json_t *conf = NULL;
        const char *v;

        *r = registries_d_load(NULL, &conf, err);
        if (*r < 0)
                return false;
        v = json_get_str((json_t *)registries_d_for(conf, repo), "use-sigstore-attachments");
        return v && strcmp(v, "true") == 0;
}

/* One signature layer: good, and claiming what is pulled?  *why when not. */
static bool check_layer(const json_t *req, const struct sig_context *ctx, const struct sig_key *keys,
                        const json_t *layer, char **why, cpod_error_t *err)
{
        const char *digest = json_get_str((json_t *)layer, "digest");
        const char *b64 = json_get_str(json_object_get(layer, "annotations"), SIGNATURE_ANNOTATION);
        _cleanup_free_ char *payload = NULL, *sig = NULL;
        _cleanup_json_ json_t *claims = NULL;
        char got[DIGEST_STR_MAX];
        size_t len = 0, siglen = 0;

        if (!digest || !b64 || base64_decode(b64, &sig, &siglen) < 0)
                return (*why = xstrdup("a signature layer without a signature")), false;
        if (ctx->get_blob(ctx->ud, digest, &payload, &len, err) < 0)
                return (*why = xasprintf("fetching the signature payload %s: %s", digest, cpod_error_msg(err))),
                       cpod_error_clear(err), false;
        digest_buf(payload, len, got);
        if (len > MAX_PAYLOAD || strcmp(got, digest) != 0)
                return (*why = xasprintf("the signature payload does not match its digest %s", digest)), false;
        for (const struct sig_key *k = keys; k->data; k++)
                if (verifies(k, (unsigned char *)sig, siglen, payload, len)) {
                        if (!(claims = json_loadb(payload, len, JSON_REJECT_DUPLICATES, NULL)))
                                return (*why = xstrdup("the signature payload is not JSON")), false;
                        return sig_claims_ok(req, claims, ctx, "cosign container image signature", why);
                }
        *why = xstrdup("the signature was not made by the policy's key");
        return false;
}

/* The attachment of the manifest: one of its signatures must be good for what is pulled. */
static int check_attachment(const json_t *req, const struct sig_context *ctx, const char *repo,
                            const struct sig_key *keys, cpod_error_t *err)
{
        _cleanup_free_ char *tag = xasprintf("sha256-%s.sig", ctx->manifest_digest + 7), *text = NULL, *why = NULL;
        _cleanup_json_ json_t *m = NULL;
        json_t *layer;
        size_t len, i;
        int found = 0;

        if (ctx->get_manifest(ctx->ud, tag, &text, &len, err) < 0) {
                if (err && err->kind == CPOD_E_NO_SUCH_IMAGE) {
                        cpod_error_clear(err);
                        return denied(err, "A signature was required, but no signature exists (no %s:%s)", repo, tag);
                }
                return cpod_error_wrap(err, "fetching the signatures of %s", repo);
        }
        if (!(m = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL)) || !json_is_array(json_object_get(m, "layers")))
                return denied(err, "invalid sigstore attachment %s:%s: not an image manifest", repo, tag);
        json_array_foreach(json_object_get(m, "layers"), i, layer) {
                const char *mt = json_get_str(layer, "mediaType");
                if (!mt || strcmp(mt, SIMPLESIGNING_TYPE) != 0)
                        continue;
                found++;
                free(why);
                why = NULL;
                if (check_layer(req, ctx, keys, layer, &why, err))
                        return 0;
        }
        if (!found)
                return denied(err, "A signature was required, but no signature exists (%s:%s holds no signature)", repo,
                              tag);
        return denied(err, "None of the signatures were accepted: %s%s", why ? why : "invalid signature", "");
}

int sig_check_sigstore(const json_t *req, const struct sig_context *ctx, cpod_error_t *err)
{
        _cleanup_free_ char *repo = ctx->reference ? sig_repo_of(ctx->reference) : NULL;
        struct sig_key *keys = NULL;
        int r;

        if (!repo || !ctx->manifest_digest || !ctx->get_manifest)
                return cpod_error_set(err, EACCES, CPOD_E_DENIED, "A signature was required, but no signature exists");
        if (!attachments_enabled(repo, err, &r))
                return r < 0 ? r
                             : cpod_error_set(err, EACCES, CPOD_E_DENIED,
                                              "A signature was required, but no signature exists (registries.d does "
                                              "not set use-sigstore-attachments for %s)",
                                              repo);
        if (crypto_shim_open(err) < 0)
                return cpod_error_rc(err, -ELIBACC);
        if ((r = public_keys(req, &keys, err)) < 0)
                return r;
        r = check_attachment(req, ctx, repo, keys, err);
        sig_keys_free(keys);
        return r;
}
