/* SPDX-License-Identifier: Apache-2.0 */
/* Local transports as image sources, and opening one from a path or a TRANSPORT:REF string. */
#ifndef CPOD_IMAGE_TRANSPORTS_H
#define CPOD_IMAGE_TRANSPORTS_H

#include <stdbool.h>

#include <jansson.h>

#include <cpod/error.h>
#include "image/fileset.h"
#include "image/source.h"

/* Each takes ownership of fs, even on failure. */
int oci_source_new(struct fileset *fs, const char *desc, const char *ref, struct image_source **ret, cpod_error_t *err);
int docker_archive_source_new(struct fileset *fs, const char *desc, const char *ref, struct image_source **ret,
                              cpod_error_t *err);
int dir_source_new(struct fileset *fs, const char *desc, struct image_source **ret, cpod_error_t *err);

/*
 * Open a local image source.  spec is "oci:PATH[:REF]", "oci-archive:PATH[:REF]",
 * "docker-archive:PATH[:REF|@N]", "dir:PATH", or a bare path whose format is
 * detected (OCI layout, docker archive, dir:).
 */
int local_source_open(const char *spec, const char *tmpdir, struct image_source **ret, cpod_error_t *err);

struct cpod_runtime;
/* Does name start with one of the local transports above ("oci:", "docker-archive:", ...)? */
bool image_local_transport(const char *name);
/*
 * pull from a local transport: copy its images into the store (as load does); *ret_ids = their IDs.
 * check: apply the signature policy (not for what cpod itself made, such as a build's result).
 */
int image_pull_local(struct cpod_runtime *rt, const char *spec, bool check, json_t **ret_ids, cpod_error_t *err);

#endif
