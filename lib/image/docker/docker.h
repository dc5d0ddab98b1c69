/* SPDX-License-Identifier: Apache-2.0 */
/* docker:// transport: the image source and helpers shared by pull, login and search. */
#ifndef CPOD_IMAGE_DOCKER_DOCKER_H
#define CPOD_IMAGE_DOCKER_DOCKER_H

#include <cpod/registry.h>

#include "image/docker/client.h"
#include "image/source.h"

struct docker_source_opts {
        const char *os, *arch, *variant;
        cpod_pull_event_fn event; /* per-layer progress, may be NULL */
        void *event_ud;
};

/*
 * Open docker://HOST/REPO:REF (REF a tag or a digest) through client c
 * (borrowed; must outlive the source): fetches the manifest now.  names:
 * what the image is called once stored (may be NULL).
 */
int docker_source_open(struct reg_client *c, const char *repo, const char *ref, char *const *names,
                       const struct docker_source_opts *o, struct image_source **ret, cpod_error_t *err);
/* Digest of the manifest fetched at open (the index's, for a list). */
const char *docker_source_manifest_digest(const struct image_source *src);
struct sig_context;
/* How the signature checks reach the source's registry (get_manifest, get_blob; the rest zeroed). */
void docker_source_sig_context(struct image_source *src, struct sig_context *ret);

/*
 * A client for host, insecure when registries.conf says so for ref ("host/repo..."); a blocked
 * registry is refused.
 */
int docker_client_open(const char *ref, const char *host, const struct cpod_registry_opts *reg, struct reg_client **ret,
                       cpod_error_t *err);
/* "[host/]repo[:tag|@digest]" qualified as podman does (docker.io): host, repo and tag or digest. */
int docker_ref_split(const char *s, char **host, char **repo, char **ref, cpod_error_t *err);

/* struct cpod_registry_opts -> struct reg_opts. */
void reg_opts_from(const struct cpod_registry_opts *in, struct reg_opts *out);

#endif
