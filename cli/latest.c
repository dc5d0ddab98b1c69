/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --latest for commands that name one container as their first argument
 * (attach, exec, logs, wait, inspect, diff, port): the most recently created
 * container takes that argument's place.
 */
#include <stdbool.h>
#include <string.h>

#include <cpod/container.h>

#include "cli/cli.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

static bool latest_given(const struct cli_cmd *cmd, const void *opts)
{
        for (const struct cli_opt *o = cmd->opts; o && o->name; o++)
                if (o->type == OPT_BOOL && strcmp(o->name, "latest") == 0)
                        return *(const bool *)((const char *)opts + o->offset);
        return false;
}

int cli_apply_latest(struct cli_ctx *ctx, const struct cli_cmd *cmd, const void *opts, char **pos, int *npos)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *all = NULL;
        const char *id;

        if (cmd->latest == CLI_LATEST_NONE || !opts || !latest_given(cmd, opts))
                return 0;
        if (cmd->latest == CLI_LATEST_REPLACES && *npos > 0)
                return cli_errorf("--latest and containers cannot be used together");
        if (!cli_runtime(ctx, &err) || cpod_ctr_list(ctx->rt, true, &all, &err) < 0)
                return cli_fail(&err);
        id = json_get_str(json_array_get(all, 0), "Id");
        if (!id)
                return cli_errorf("no containers to act on with --latest: no such container");
        memmove(pos + 1, pos, (size_t)*npos * sizeof(*pos));
        pos[0] = ctx->latest_id = xstrdup(id); /* cli_main frees it */
        (*npos)++;
        return 0;
}
