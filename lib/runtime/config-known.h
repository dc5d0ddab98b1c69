/* SPDX-License-Identifier: Apache-2.0 */
/* The containers.conf keys podman knows, for warning about the ones cpod does not apply. */
#ifndef CPOD_RUNTIME_CONFIG_KNOWN_H
#define CPOD_RUNTIME_CONFIG_KNOWN_H

#include <stdbool.h>
#include <stddef.h>

/* Is section.key one of podman 4.3.1's containers.conf keys? */
bool config_podman_knows(const char *section, const char *key);
/* The i-th table podman reads ("containers", "network", ...), NULL past the last. */
const char *config_known_section(size_t i);

#endif
