/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Image references in the docker/distribution grammar:
 *   [domain[:port]/]path[:tag][@algo:hex]
 * A domain is recognised by a '.' or ':' in the first component, or the
 * name "localhost".  Parsing is strict and never normalises; callers
 * choose how to qualify a short name (localhost/ for local names, search
 * registries for pulls) with image_ref_qualify().
 */
#ifndef CPOD_IMAGE_REFERENCE_H
#define CPOD_IMAGE_REFERENCE_H

#include <stdbool.h>

#include <cpod/error.h>

struct image_ref {
        char *domain; /* NULL when the reference is a short name */
        char *path;   /* "library/busybox" */
        char *tag;    /* NULL if none given */
        char *digest; /* NULL if none given */
};

int image_ref_parse(const char *s, struct image_ref *ret, cpod_error_t *err);
void image_ref_clear(struct image_ref *r);
/* "domain/path:tag@digest" with whatever parts are set; caller frees. */
char *image_ref_string(const struct image_ref *r);
/* "domain/path"; caller frees. */
char *image_ref_repo(const struct image_ref *r);
/*
 * Fill in a missing domain (docker.io gets its "library/" prefix for
 * single-component paths) and, when there is neither tag nor digest,
 * tag "latest".
 */
void image_ref_qualify(struct image_ref *r, const char *domain);
/* Like image_ref_qualify but only adds a missing tag. */
void image_ref_default_tag(struct image_ref *r);
/* Normalise docker.io forms: "index.docker.io" -> "docker.io", "docker.io/x" -> "docker.io/library/x". */
void image_ref_normalize_docker(struct image_ref *r);

/*
 * Is the repository (domain/path) longer than the grammar's 255 characters?  Qualifying a short
 * name (adding a domain, docker.io's "library/") can make a valid name too long.
 */
bool image_ref_too_long(const struct image_ref *r);

/* Parse s and qualify a short name with "localhost" (how podman names local images: tag, import, commit). */
char *image_ref_normalize_local(const char *s, cpod_error_t *err);

#endif
