/* SPDX-License-Identifier: Apache-2.0 */
/*
 * push: an image of the store as blobs a destination takes (push.c,
 * push-blob.c), and the registry side (docker/push.c).
 */
#ifndef CPOD_IMAGE_PUSH_H
#define CPOD_IMAGE_PUSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cpod/registry.h>

#include "storage/store.h"
#include "util/digest.h"

enum push_compression { PUSH_GZIP, PUSH_ZSTD };

/* An image as stored: config and layers, base first. */
struct push_image {
        char id[65];
        char *config;
        size_t config_len;
        char config_digest[DIGEST_STR_MAX];
        char **layers;   /* layer IDs */
        char **diff_ids; /* "sha256:..." */
        size_t n_layers;
        bool oci; /* manifest type to write: OCI, or Docker schema 2 */
};
void push_image_clear(struct push_image *im);
/* Look NAME up; format "oci", "v2s2" or NULL (the type of the manifest it was stored with). */
int push_image_collect(struct store *s, const char *name, const char *format, struct push_image *ret,
                       cpod_error_t *err);

/* A layer compressed into an unnamed temporary file. */
struct push_blob {
        int fd;
        int64_t size;
        char digest[DIGEST_STR_MAX];
};
int push_blob_compress(struct store *s, const char *layer, enum push_compression comp, struct push_blob *ret,
                       cpod_error_t *err);
void push_blob_clear(struct push_blob *b);

/* The image manifest for the compressed layers (blobs[i] for layer i); caller frees. */
char *push_manifest(const struct push_image *im, const struct push_blob *blobs, enum push_compression comp);

/* Push to docker://REF (REF without the transport); *ret_digest: the manifest's digest. */
int docker_push(struct store *s, const struct push_image *im, const char *ref, const struct cpod_push_opts *o,
                enum push_compression comp, char ret_digest[DIGEST_STR_MAX], cpod_error_t *err);

#endif
