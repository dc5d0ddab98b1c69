/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between lib/image files. */
#ifndef CPOD_IMAGE_INTERNAL_H
#define CPOD_IMAGE_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>

#include <cpod/error.h>
#include <cpod/image.h>
#include "storage/store.h"

struct cpod_runtime;

struct cpod_rmi_opts;
/* cpod_image_remove without looking at containers (lib/engine checks and removes them first). */
int image_remove(struct cpod_runtime *rt, const char *name, const struct cpod_rmi_opts *o, json_t *untagged,
                 json_t *deleted, cpod_error_t *err);

int image_lookup_store(struct store *s, const char *name, char ret_id[65], cpod_error_t *err);
/* The same; *ret_name gets the stored name that matched, NULL for a match by ID, ID prefix or digest. */
int image_lookup_store_name(struct store *s, const char *name, char ret_id[65], char **ret_name, cpod_error_t *err);
/* CPOD_E_NOT_SUPPORTED "image ID is a manifest list: ..." for a list, else 0. */
int image_refuse_list(struct store *s, const char *id, cpod_error_t *err);
/* The stored config of an image, parsed (NULL on error; a manifest list is refused). */
json_t *image_load_config(struct store *s, const char *id, cpod_error_t *err);
/*
 * The files a layer changes against the layers below it, as podman's changes API:
 * [{"Path": "/etc", "Kind": 0}] (0 changed, 1 added, 2 deleted), sorted by path,
 * without the mount points the engine creates (/etc/hosts, /dev, ...).  Overlay only.
 */
int image_layer_changes(struct store *s, const char *layer, json_t **ret, cpod_error_t *err);

/* cpod_image_save, with events false for the engine's own use (handing a base image to Buildah). */
int image_save(struct cpod_runtime *rt, char *const *names, enum cpod_save_format fmt, const char *path, bool events,
               cpod_error_t *err);
/* save one image; refname, when not NULL, is the only name the result carries. */
int image_save_as(struct cpod_runtime *rt, const char *name, enum cpod_save_format fmt, const char *path,
                  const char *refname, cpod_error_t *err);

/* build --secret values checked and turned into Buildah's --secret flags, appended to *ret. */
int build_secret_args(char *const *secrets, char ***ret, cpod_error_t *err);

#endif
