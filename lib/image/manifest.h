/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Manifests: OCI image manifest and index, Docker schema 2 manifest and
 * manifest list.  Docker schema 1 is refused with a clear error.  Parsed
 * once, defensively, into these structs; the raw bytes are kept by the
 * caller because digests are over them.
 */
#ifndef CPOD_IMAGE_MANIFEST_H
#define CPOD_IMAGE_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cpod/error.h>

#define MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define MT_OCI_CONFIG "application/vnd.oci.image.config.v1+json"
#define MT_OCI_LAYER "application/vnd.oci.image.layer.v1.tar"
#define MT_OCI_LAYER_GZIP "application/vnd.oci.image.layer.v1.tar+gzip"
#define MT_OCI_LAYER_ZSTD "application/vnd.oci.image.layer.v1.tar+zstd"
#define MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define MT_DOCKER_CONFIG "application/vnd.docker.container.image.v1+json"
#define MT_DOCKER_LAYER "application/vnd.docker.image.rootfs.diff.tar.gzip"
#define MT_DOCKER_LAYER_FOREIGN "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
#define MT_DOCKER_V1 "application/vnd.docker.distribution.manifest.v1+json"
#define MT_DOCKER_V1_SIGNED "application/vnd.docker.distribution.manifest.v1+prettyjws"

/* Upper bounds on documents read from untrusted sources. */
#define MANIFEST_MAX_SIZE (4u << 20)
#define CONFIG_MAX_SIZE (8u << 20)

enum manifest_kind { MANIFEST_IMAGE, MANIFEST_INDEX };

struct descriptor {
        char *media_type;
        char *digest;
        int64_t size;
        /* platform (index entries only) */
        char *os, *arch, *variant;
        char *ref_name; /* annotation org.opencontainers.image.ref.name (OCI layout index.json) */
};

struct manifest {
        enum manifest_kind kind;
        char *media_type;
        struct descriptor config;  /* images */
        struct descriptor *layers; /* images */
        size_t n_layers;
        struct descriptor *manifests; /* indexes */
        size_t n_manifests;
};

/* media_type_hint may be NULL (then the document's mediaType field, or its shape, decides). */
int manifest_parse(const char *buf, size_t len, const char *media_type_hint, struct manifest *ret, cpod_error_t *err);
void manifest_clear(struct manifest *m);
void descriptor_clear(struct descriptor *d);

/*
 * Choose the entry of an index for os/arch/variant (NULL = this host's).
 * Returns its index in m->manifests, or < 0 with a clear error listing
 * what the index offers.
 */
int manifest_choose(const struct manifest *m, const char *os, const char *arch, const char *variant, cpod_error_t *err);

/* Normalise Go-style architectures: x86_64 -> amd64, aarch64 -> arm64, ... (static string). */
const char *normalize_arch(const char *arch);

#endif
