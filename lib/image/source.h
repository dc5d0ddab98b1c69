/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Image sources: where an image comes from (an OCI layout, an archive, a
 * `dir:` directory, a registry).  A source plans one image at a time (its
 * config, manifest and layer list, everything verified against digests)
 * and then opens each layer's blob as a stream for the copy into storage.
 */
#ifndef CPOD_IMAGE_SOURCE_H
#define CPOD_IMAGE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cpod/error.h>

/* A readable blob. read() returns bytes, 0 at EOF, < 0 (-errno) on error. */
struct blob {
        ssize_t (*read)(void *ud, void *buf, size_t len);
        void (*close)(void *ud);
        void *ud;
        int64_t size; /* -1 when unknown */
        /* Error detail a read failure left behind (owned by the blob, may be NULL). */
        char *(*error)(void *ud);
};
void blob_close(struct blob *b);
/* Read a whole (small) blob, at most max bytes. */
int blob_read_all(struct blob *b, size_t max, char **ret, size_t *ret_len, cpod_error_t *err);

struct plan_layer {
        char *digest; /* blob digest to verify, or NULL (docker-archive layers: only the diff ID is known) */
        char *media_type;
        int64_t size;
        char *locator; /* how the source finds the blob (a path in an archive, ...) */
};

struct image_plan {
        char *config; /* raw bytes, digest verified */
        size_t config_len;
        char config_digest[72];
        char *manifest; /* raw bytes of the image manifest, or NULL to synthesize one */
        size_t manifest_len;
        char *manifest_type;
        char **digests; /* manifest digests the image is known by (instance, then list) */
        struct plan_layer *layers;
        size_t n_layers;
        char **names; /* names the image should get */
};
void image_plan_clear(struct image_plan *p);

struct image_source {
        /* Plan the next image: 1 = planned, 0 = no more images, < 0 error. */
        int (*next)(struct image_source *src, struct image_plan *plan, cpod_error_t *err);
        int (*open_layer)(struct image_source *src, const struct plan_layer *l, struct blob *ret, cpod_error_t *err);
        void (*free)(struct image_source *src);
        char *desc; /* "oci-archive:/tmp/x.tar" for messages */
        /* Platform to choose from indexes (NULL: this host). */
        const char *os, *arch, *variant;
        /*
         * How many layers may be opened and read at once from different
         * threads (0 or 1: one at a time; registries stream in parallel).
         */
        int max_parallel;
};
void image_source_free(struct image_source *src);

/*
 * Fetch callback used by the manifest-driven planner: read a manifest or
 * blob by digest (verifying is the planner's job).
 */
typedef int (*fetch_fn)(struct image_source *src, const char *digest, size_t max, char **ret, size_t *ret_len,
                        cpod_error_t *err);

/*
 * Build a plan from a manifest (an index is resolved to the platform's
 * image through fetch): parse, pick, fetch and verify the config, check
 * that the layers match the config's diff IDs.  manifest_digest may be NULL
 * (then it's computed).
 */
int plan_from_manifest(struct image_source *src, fetch_fn fetch, const char *manifest, size_t len,
                       const char *media_type, struct image_plan *plan, cpod_error_t *err);

#endif
