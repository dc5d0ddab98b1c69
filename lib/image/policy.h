/* SPDX-License-Identifier: Apache-2.0 */
/*
 * containers-policy.json(5): which images may be copied into the store.
 * Evaluated for every image a pull or a load is about to store, after its
 * manifest is known and before any blob is fetched.  A missing, unreadable
 * or malformed policy blocks the copy (never an implicit accept).
 *
 * Requirements: insecureAcceptAnything, reject, signedBy (GPG simple
 * signing, sig-gpg.c), sigstoreSigned (attachments in the registry,
 * sig-sigstore.c).
 */
#ifndef CPOD_IMAGE_POLICY_H
#define CPOD_IMAGE_POLICY_H

#include <jansson.h>

#include <cpod/error.h>

struct cpod_runtime;

/*
 * May the image be stored?  transport: "docker", "docker-archive", "oci-archive", "oci", "dir";
 * regctx: how to reach the registry (sigstore attachments), NULL for local sources.
 * scope: what the policy's scopes are matched against ("host/ns/repo:tag" or "host/ns/repo@digest"
 * for docker, the path for the others); name: the image as messages name it
 * ("docker://host/repo:tag").  0, or < 0 with podman's "Source image rejected: ..." (CPOD_E_DENIED)
 * or the policy's own error.
 */
struct sig_context;
int policy_check(struct cpod_runtime *rt, const char *transport, const char *scope, const char *name,
                 const char *manifest_digest, struct sig_context *regctx, cpod_error_t *err);

/* The policy file cpod uses: --signature-policy, else ~/.config/containers/policy.json, else /etc's. */
char *policy_default_path(struct cpod_runtime *rt);
/* Read and check a policy file (the errors of every pull). */
json_t *policy_load(const char *path, cpod_error_t *err);
/* The requirements that apply, for `image trust show` and tests: a JSON array (new reference). */
int policy_requirements(const char *path, const char *transport, const char *scope, json_t **ret, cpod_error_t *err);

#endif
