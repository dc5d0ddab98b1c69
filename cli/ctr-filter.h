/* SPDX-License-Identifier: Apache-2.0 */
/* Container --filter (ps, start): cpod_ctr_filter (include/cpod/engine.h) from the flag's values. */
#ifndef CPOD_CLI_CTR_FILTER_H
#define CPOD_CLI_CTR_FILTER_H

#include <stdbool.h>

#include <cpod/engine.h>

struct cli_ctx;
struct strv;

/* Parse and check --filter KEY=VALUE...; prints errors, returns an exit code or 0. *ret NULL when none given. */
int ctr_filter_parse(struct cli_ctx *ctx, const struct strv *filters, struct cpod_ctr_filter **ret);

#define ctr_filter_match cpod_ctr_filter_match
#define ctr_filter_has cpod_ctr_filter_has
#define ctr_filter_free cpod_ctr_filter_free

#endif
