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
        /*
         * The gzip blob each layer was pulled as (from the manifest stored with the image), which a
         * registry may already have or can mount: NULL where unknown.  n_layers entries.
         */
        char **gzip_digests;
        int64_t *gzip_sizes;
        char **names; /* the image's names: repositories to mount blobs from */
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

struct reg_client;
/*
 * Compress and upload the layers (in parallel; blobs the repository has are skipped, gzip blobs a
 * layer was pulled as are mounted from mount_from when the registry can); blobs[i] gets layer i's
 * digest and size.
 */
int push_layers(struct store *s, struct reg_client *c, const char *repo, const char *mount_from,
                const struct push_image *im, enum push_compression comp, const struct cpod_push_opts *o,
                struct push_blob *blobs, cpod_error_t *err);

/* What a push wrote: the manifest's digest, size and media type (static). */
struct pushed_manifest {
        char digest[DIGEST_STR_MAX];
        int64_t size;
        const char *media_type;
};
/*
 * Push to docker://REF (REF without the transport).  by_digest: ignore REF's tag and put the
 * manifest under its digest (the instances of a manifest list).
 */
int docker_push(struct store *s, const struct push_image *im, const char *ref, const struct cpod_push_opts *o,
                enum push_compression comp, bool by_digest, struct pushed_manifest *ret, cpod_error_t *err);
/* PUT a manifest list under REF's tag (signed with o->sign_by when set). */
int docker_push_list(const char *ref, const struct cpod_push_opts *o, const char *data, size_t len,
                     const char *media_type, char ret_digest[DIGEST_STR_MAX], cpod_error_t *err);
/*
 * Copy the registry image SRC ("host/repo@digest") into DEST's repository under its digest:
 * blobs the destination lacks are mounted (same registry) or streamed through a temporary file.
 */
int docker_copy_remote(struct store *s, const char *src, const char *dest, const struct cpod_push_opts *o,
                       cpod_error_t *err);

/* --format and --compression-format: the layers' compression, or an error. */
int push_check_opts(const struct cpod_push_opts *o, enum push_compression *comp, cpod_error_t *err);

#endif
