/* SPDX-License-Identifier: Apache-2.0 */
/* Image signature verification for the signature policy (sig-gpg.c). */
#ifndef CPOD_IMAGE_SIG_H
#define CPOD_IMAGE_SIG_H

#include <jansson.h>

#include <cpod/error.h>

struct sig_context {
        const char *reference;       /* what is pulled, fully qualified: "host/ns/repo:tag" or "...@sha256:..." */
        const char *manifest_digest; /* of the manifest fetched for it; NULL when there is none (local sources) */
};

/*
 * A signedBy requirement (GPG simple signing): 0 when one signature from the lookaside storage is
 * good, made by one of the requirement's keys, for this manifest digest and an identity its
 * signedIdentity accepts; < 0 (CPOD_E_DENIED) saying why not.
 */
int sig_check_signed_by(const json_t *req, const struct sig_context *ctx, cpod_error_t *err);

/* The e-mail addresses of the keys a signedBy requirement names, ", "-separated (image trust show). */
int sig_key_identities(const json_t *req, char **ret, cpod_error_t *err);

#endif
