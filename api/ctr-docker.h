/* SPDX-License-Identifier: Apache-2.0 */
/* Docker's shapes of a container: the list entry and the inspect object, from podman's. */
#ifndef CPOD_API_CTR_DOCKER_H
#define CPOD_API_CTR_DOCKER_H

#include <jansson.h>

/* Docker's state name for a cpod/podman one ("configured" -> "created", "stopped" -> "exited"). */
const char *api_docker_state(const char *podman_state);
/* A `GET /containers/json` entry from a cpod_ctr_list entry (new reference). */
json_t *api_docker_ctr_summary(const json_t *ps);
/* The inspect object, edited in place from cpod_ctr_inspect's. */
void api_docker_ctr_inspect(json_t *o);

#endif
