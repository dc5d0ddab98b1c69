/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Container --filter (ps, start): podman's keys and semantics.  Values of one
 * key are alternatives (any matches) except label (all must match);
 * different keys must all match.  id and name are unanchored regular
 * expressions, as podman's.
 */
#ifndef CPOD_CLI_CTR_FILTER_H
#define CPOD_CLI_CTR_FILTER_H

#include <stdbool.h>

#include <jansson.h>

struct cli_ctx;
struct strv;
struct ctr_filter;

/* Parse and check --filter KEY=VALUE...; prints errors, returns an exit code or 0. *ret NULL when none given. */
int ctr_filter_parse(struct cli_ctx *ctx, const struct strv *filters, struct ctr_filter **ret);
/* Does a cpod_ctr_list entry pass?  A NULL filter passes everything. */
bool ctr_filter_match(const struct ctr_filter *f, json_t *ctr);
/* Was this key given? */
bool ctr_filter_has(const struct ctr_filter *f, const char *key);
void ctr_filter_free(struct ctr_filter *f);

#endif
