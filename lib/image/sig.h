/* SPDX-License-Identifier: Apache-2.0 */
/* Image signature verification for the signature policy (sig-gpg.c). */
#ifndef CPOD_IMAGE_SIG_H
#define CPOD_IMAGE_SIG_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include <cpod/error.h>

struct sig_context {
        const char *reference;       /* what is pulled, fully qualified: "host/ns/repo:tag" or "...@sha256:..." */
        const char *manifest_digest; /* of the manifest fetched for it; NULL when there is none (local sources) */
        /*
         * The registry the image comes from, for sigstore attachments (NULL for local sources):
         * a manifest of the same repository by tag, a blob by digest.  A manifest that is not
         * there is CPOD_E_NO_SUCH_IMAGE.
         */
        int (*get_manifest)(void *ud, const char *tag, char **ret, size_t *ret_len, cpod_error_t *err);
        int (*get_blob)(void *ud, const char *digest, char **ret, size_t *ret_len, cpod_error_t *err);
        void *ud;
        int verified; /* out: signatures found good (for pull's "Checking if image destination ...") */
};

/*
 * A signedBy requirement (GPG simple signing): 0 when one signature from the lookaside storage is
 * good, made by one of the requirement's keys, for this manifest digest and an identity its
 * signedIdentity accepts; < 0 (CPOD_E_DENIED) saying why not.
 */
int sig_check_signed_by(const json_t *req, const struct sig_context *ctx, cpod_error_t *err);

/*
 * A sigstoreSigned requirement: 0 when one signature attached to the image in its registry
 * (registries.d use-sigstore-attachments) verifies with the requirement's public key and claims
 * this manifest digest and an identity its signedIdentity accepts; < 0 (CPOD_E_DENIED) else.
 */
int sig_check_sigstore(const json_t *req, const struct sig_context *ctx, cpod_error_t *err);

/* A public key as the policy names it: the bytes of its file (or of keyData), and where they came from. */
struct sig_key {
        char *data;
        size_t len;
        const char *what; /* the path, or "keyData" (borrowed from the requirement) */
};
/* keyPath, keyPaths or keyData (exactly one) of a requirement of this type: a list ending in { NULL }. */
int sig_keys_read(const json_t *req, const char *type, struct sig_key **ret, cpod_error_t *err);
void sig_keys_free(struct sig_key *keys);

/* The repository of a reference, normalized: "host/ns/repo" (NULL when it is not one). */
char *sig_repo_of(const char *ref);
/*
 * Does a signature's payload stand for what is pulled: critical.type is want_type, the manifest
 * digest is ctx's, and the requirement's signedIdentity accepts the docker-reference?  *why when not.
 */
bool sig_claims_ok(const json_t *req, const json_t *payload, const struct sig_context *ctx, const char *want_type,
                   char **why);
/* The e-mail addresses of the keys a signedBy requirement names, ", "-separated (image trust show). */
int sig_key_identities(const json_t *req, char **ret, cpod_error_t *err);

/*
 * push --sign-by: sign manifest_digest as reference ("host/repo:tag") with the user's GPG key and
 * store the signature in the repository's lookaside storage (registries.d, file:// only).
 */
int sig_sign_push(const char *reference, const char *manifest_digest, const char *key, cpod_error_t *err);

#endif
