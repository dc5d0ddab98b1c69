/* SPDX-License-Identifier: Apache-2.0 */
/* System information reports (`cpod info`, `cpod version`) as JSON with podman's field names. */
#ifndef CPOD_INFO_H
#define CPOD_INFO_H

#include <jansson.h>

#include <cpod/error.h>
#include <cpod/runtime.h>

/* {"host": {...}, "registries": {...}, "store": {...}, "version": {...}}; caller owns *ret. */
CPOD_PUBLIC int cpod_system_info(struct cpod_runtime *rt, json_t **ret, cpod_error_t *err);
/* {"APIVersion", "Version", "GitCommit", "BuiltTime", "Built", "OsArch", "Os", ...}; caller owns it. */
CPOD_PUBLIC json_t *cpod_version_info(void);
/* The host architecture in Go's (and OCI's) spelling: amd64, arm64, ... */
CPOD_PUBLIC const char *cpod_goarch(void);

#endif
