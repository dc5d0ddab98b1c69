/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CPOD_CLI_COMPLETE_NAMES_H
#define CPOD_CLI_COMPLETE_NAMES_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/cli.h"

/* Print names of objects of `kind` ("containers", "images", "pods") starting with prefix. */
void cli_complete_names(struct cli_ctx *ctx, const char *kind, const char *prefix, FILE *out);

#endif
