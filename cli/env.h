/* SPDX-License-Identifier: Apache-2.0 */
/* The environment flags of run/create and exec: --env-host, --env-file, -e (podman's order and rules). */
#ifndef CPOD_CLI_ENV_H
#define CPOD_CLI_ENV_H

#include <stdbool.h>

#include "cli/cli.h"

/*
 * "K=V" entries from the host's environment (host), the env files, then the -e values, in that
 * order.  A bare K takes the host's value (nothing when unset), K* every host variable starting
 * with K.  An entry without a name ("=x") is podman's "invalid environment variable" error.
 * Prints errors; returns 0 or an exit code.  *ret is NULL-terminated, caller frees (strv_free).
 */
int cli_env_collect(const struct strv *files, const struct strv *env, bool host, char ***ret);

#endif
