/* SPDX-License-Identifier: Apache-2.0 */
/* registries.conf (v2) as far as cpod reads it today. */
#ifndef CPOD_IMAGE_REGISTRIES_H
#define CPOD_IMAGE_REGISTRIES_H

#include <cpod/error.h>

/*
 * unqualified-search-registries from $CONTAINERS_REGISTRIES_CONF or
 * /etc/containers/registries.conf, then registries.conf.d/<*.conf>.
 * *ret is a NULL-terminated vector (possibly empty); caller frees.
 */
int registries_search(char ***ret, cpod_error_t *err);

#endif
