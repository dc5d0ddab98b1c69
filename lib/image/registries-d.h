/* SPDX-License-Identifier: Apache-2.0 */
/* containers-registries.d(5): signature storage per registry scope (registries-d.c). */
#ifndef CPOD_IMAGE_REGISTRIES_D_H
#define CPOD_IMAGE_REGISTRIES_D_H

#include <jansson.h>

#include <cpod/error.h>

/* Parse the YAML subset registries.d files use (nested mappings of scalars) into JSON objects. */
int yaml_mapping_parse(const char *text, const char *file, json_t **ret, cpod_error_t *err);

/*
 * Read every *.yaml of dir (NULL: ~/.config/containers/registries.d when it exists, else
 * /etc/containers/registries.d) into {"default-docker": {...}, "docker": {scope: {...}}}.
 * A directory that does not exist is empty; a file that cannot be read is an error.
 */
int registries_d_load(const char *dir, json_t **ret, cpod_error_t *err);

/* The settings for a repository ("host/ns/repo"): the most specific docker scope, else default-docker. */
const json_t *registries_d_for(const json_t *conf, const char *repo);

#endif
