/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Making a local image from one new layer (commit, import): the layer is
 * applied like a pulled one (with tar-split, so save reproduces it byte
 * for byte), then the config and a manifest are written and the image is
 * recorded in one transaction.  Nothing is visible before it is complete.
 */
#ifndef CPOD_IMAGE_BUILD_H
#define CPOD_IMAGE_BUILD_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include <cpod/error.h>

#include "storage/store.h"
#include "util/digest.h"

struct image_build {
        const char *parent_id;           /* image whose layers and history come first, or NULL */
        bool squash;                     /* the new layer holds the whole rootfs: no parent layers */
        int layer_fd;                    /* uncompressed tar of the new layer, read from offset 0 */
        char diff_id[DIGEST_STR_MAX];    /* its digest */
        json_t *config;                  /* the "config" object of the new image (borrowed) */
        json_t *history;                 /* the history entry for the new layer, without "created" (borrowed) */
        const char *author;              /* or NULL */
        const char *comment;             /* Docker format only: the config's "comment", or NULL */
        const char *container;           /* Docker format only: the container's ID, or NULL */
        bool docker;                     /* Docker v2s2 manifest and config instead of OCI */
        const char *arch, *os, *variant; /* NULL: the parent's, else this host's */
        char *const *names;              /* normalised names, may be NULL */
};

/* Returns 0 with ret_id the new image's ID (its config digest), or < 0. */
int image_build(struct store *s, const struct image_build *b, char ret_id[65], cpod_error_t *err);

/*
 * Copy everything read from fd into a new temporary file of the store,
 * decompressing gzip, bzip2, xz, zstd, ... on the way (libarchive's
 * filters), and digest the result.  Returns the file's fd, or < 0.
 */
int image_spool_tar(struct store *s, int fd, char ret_digest[DIGEST_STR_MAX], cpod_error_t *err);

#endif
