/* SPDX-License-Identifier: Apache-2.0 */
/* What the engine's operations share. */
#ifndef CPOD_ENGINE_INTERNAL_H
#define CPOD_ENGINE_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>

#include <cpod/error.h>

struct cpod_runtime;

/* rm --force of each container (a pod's infra takes its pod with it); ones already gone are skipped. */
int engine_remove_ctrs(struct cpod_runtime *rt, char **ids, int timeout, cpod_error_t *err);

/* Volume filters {"KEY": ["VALUE", ...]} (volume.c): checked once, then matched against inspect objects. */
int engine_volume_filters_check(const json_t *filters, cpod_error_t *err);
bool engine_volume_match(const json_t *filters, json_t *vol, bool dangling);

#endif
