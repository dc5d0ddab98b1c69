/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Manifest lists (podman's `manifest` commands).  A list is an image of the
 * store without layers or config whose manifest is a Docker manifest list
 * or an OCI image index (lib/image/manifest-list.c).  Its instances are
 * images of the store (containers-storage:) or of a registry (docker://);
 * where each came from is kept beside the list, so `manifest push --all`
 * can copy them.
 */
#ifndef CPOD_MANIFEST_H
#define CPOD_MANIFEST_H

#include <jansson.h>
#include <stdbool.h>

#include <cpod/error.h>
#include <cpod/registry.h>
#include <cpod/runtime.h>

/* Platform and annotations of an instance (add and annotate); NULL fields are left alone. */
struct cpod_manifest_entry_opts {
        const char *os, *arch, *variant, *os_version;
        char *const *features, *const *os_features; /* NULL-terminated */
        char *const *annotations;                   /* KEY=VALUE */
};

struct cpod_manifest_add_opts {
        struct cpod_registry_opts reg;
        bool all; /* IMAGE is a list: add all its instances (else the one for this host) */
        struct cpod_manifest_entry_opts entry;
};

/*
 * Create list NAME (normalised like tag: localhost/, :latest) holding IMAGES.  amend: NAME may
 * be an existing list, which gets them.  ret_id: the list's image ID.
 */
CPOD_PUBLIC int cpod_manifest_create(struct cpod_runtime *rt, const char *name, char *const *images,
                                     const struct cpod_manifest_add_opts *o, bool amend, char ret_id[65],
                                     cpod_error_t *err);
/*
 * Add IMAGE to list NAME: "containers-storage:REF", "docker://REF", or a name, which is the
 * local image when the store has one and the registry's otherwise.
 */
CPOD_PUBLIC int cpod_manifest_add(struct cpod_runtime *rt, const char *name, const char *image,
                                  const struct cpod_manifest_add_opts *o, char ret_id[65], cpod_error_t *err);
/* Change the platform or annotations of the instance IMAGE (its digest, or a local image's name). */
CPOD_PUBLIC int cpod_manifest_annotate(struct cpod_runtime *rt, const char *name, const char *image,
                                       const struct cpod_manifest_entry_opts *o, char ret_id[65], cpod_error_t *err);
/* Remove the instance with this digest. */
CPOD_PUBLIC int cpod_manifest_remove(struct cpod_runtime *rt, const char *name, const char *digest, char ret_id[65],
                                     cpod_error_t *err);
/*
 * The list NAME as stored, or, when the store has no list of that name, the manifest the
 * registry serves for it (reg: how to reach it).  *ret: the document, parsed.
 */
CPOD_PUBLIC int cpod_manifest_inspect(struct cpod_runtime *rt, const char *name, const struct cpod_registry_opts *reg,
                                      json_t **ret, cpod_error_t *err);
/* Is NAME a list in the store? */
CPOD_PUBLIC int cpod_manifest_exists(struct cpod_runtime *rt, const char *name, bool *ret, cpod_error_t *err);
/* Remove list NAME (an image that is not a list is refused); untagged/deleted as cpod_image_remove. */
CPOD_PUBLIC int cpod_manifest_rm(struct cpod_runtime *rt, const char *name, json_t *untagged, json_t *deleted,
                                 cpod_error_t *err);

struct cpod_manifest_push_opts {
        struct cpod_push_opts push; /* format: "oci" (OCI index) or "v2s2" (Docker list); NULL: the list's */
        bool all;                   /* push the instances first (they must be in the store or a registry) */
        bool rm;                    /* remove the local list once pushed */
};
/* Push list NAME to DEST ("[docker://]host/repo[:tag]"); ret_digest: the list's digest there. */
CPOD_PUBLIC int cpod_manifest_push(struct cpod_runtime *rt, const char *name, const char *dest,
                                   const struct cpod_manifest_push_opts *o, char ret_digest[72], cpod_error_t *err);

#endif
