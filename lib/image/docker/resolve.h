/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Short-name resolution for pulls (containers-registries.conf(5),
 * "Short-Name Aliasing"): a fully qualified name is used as is (docker.io
 * names normalised, ":latest" added); a short name ("busybox",
 * "ns/name:tag", "name@digest") goes through its alias when there is one,
 * else through unqualified-search-registries, subject to short-name-mode:
 * several search registries are an error in enforcing mode unless the
 * caller can ask the user (choose), and all are tried in permissive and
 * disabled modes.
 */
#ifndef CPOD_IMAGE_DOCKER_RESOLVE_H
#define CPOD_IMAGE_DOCKER_RESOLVE_H

#include <cpod/error.h>

#include "image/registries.h"

struct resolved {
        char **candidates; /* "host/path:tag" or "host/path@digest", in order */
        char *description; /* "Resolved \"x\" as an alias (FILE)", or NULL */
        char *short_name;  /* the short name without tag/digest, or NULL for a qualified name */
};
void resolved_clear(struct resolved *r);

typedef int (*choose_fn)(void *ud, const char *name, char *const *candidates);

int shortname_resolve(const struct registries_conf *c, const char *name, choose_fn choose, void *ud,
                      struct resolved *ret, cpod_error_t *err);

#endif
