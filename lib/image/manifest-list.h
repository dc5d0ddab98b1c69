/* SPDX-License-Identifier: Apache-2.0 */
/* Manifest lists in the store (manifest-list.c), their registry side (manifest-remote.c) and push. */
#ifndef CPOD_IMAGE_MANIFEST_LIST_H
#define CPOD_IMAGE_MANIFEST_LIST_H

#include <jansson.h>

#include <cpod/manifest.h>

#include "storage/store.h"

/* A list as stored: its document and, per instance digest, where the instance is. */
struct mlist {
        char id[65];
        json_t *doc;       /* {"schemaVersion": 2, "mediaType": ..., "manifests": [...]} */
        json_t *instances; /* {"sha256:...": "containers-storage:ID" or "docker://host/repo@sha256:..."} */
};
void mlist_clear(struct mlist *l);
/* Load list NAME; CPOD_E_NO_SUCH_IMAGE, or CPOD_E_INVALID "NAME: image is not a manifest list". */
int mlist_load(struct store *s, const char *name, struct mlist *ret, cpod_error_t *err);
/* Write the list's document and instances (each file replaced atomically, instances first). */
int mlist_save(struct store *s, const struct mlist *l, cpod_error_t *err);
/* Is this media type a list's? */
bool mlist_type(const char *media_type);

/* Add or replace (same digest) the descriptor entry; source: where the instance is. */
void mlist_put(struct mlist *l, json_t *entry, const char *source);
/* Apply platform overrides and annotations to an entry. */
int mlist_entry_apply(json_t *entry, const struct cpod_manifest_entry_opts *o, cpod_error_t *err);
/* A descriptor entry: mediaType, size, digest, platform {architecture, os[, variant]}. */
json_t *mlist_entry_new(const char *media_type, int64_t size, const char *digest, const char *arch, const char *os,
                        const char *variant);

/* Add the registry image REF (docker:// stripped) to l: the host's instance of a list, or all. */
int mlist_add_remote(struct mlist *l, const char *ref, const struct cpod_manifest_add_opts *o, cpod_error_t *err);
/* The manifest the registry serves for REF, parsed. */
int mlist_inspect_remote(const char *ref, const struct cpod_registry_opts *reg, json_t **ret, cpod_error_t *err);

#endif
