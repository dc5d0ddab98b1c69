/* SPDX-License-Identifier: Apache-2.0 */
/* Container --filter for ps and start (see ctr-filter.h). */
#include "cli/ctr-filter.h"

#include "cli/cli.h"

int ctr_filter_parse(struct cli_ctx *ctx, const struct strv *filters, struct cpod_ctr_filter **ret)
{
        cpod_error_t err = CPOD_ERROR_INIT;

        if (cpod_ctr_filter_new(ctx->rt, filters->v, filters->n, ret, &err) < 0)
                return cli_fail(&err);
        return 0;
}
