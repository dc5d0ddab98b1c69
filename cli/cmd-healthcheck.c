/* SPDX-License-Identifier: Apache-2.0 */
/* cpod healthcheck run, and the timer a container's start runs of itself. */
#include <stdio.h>

#include <cpod/container.h>

#include "cli/commands.h"

static int run_hc_run(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        bool healthy = false;

        (void)opts;
        (void)argc;
        if (!cli_runtime(ctx, &err) || cpod_ctr_healthcheck_run(ctx->rt, argv[0], &healthy, &err) < 0)
                return cli_fail(&err);
        if (healthy)
                return 0;
        printf("unhealthy\n");
        return 1;
}

static const struct cli_cmd cmd_hc_run = {
        .name = "run",
        .use = "CONTAINER",
        .summary = "run the health check of a container",
        .description = "run the health check of a container",
        .example = "cpod healthcheck run mywebapp",
        .run = run_hc_run,
        .min_args = 1,
        .max_args = 1,
        .complete_args = "containers",
};

static int run_hc_timer(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;

        (void)opts;
        (void)argc;
        if (!cli_runtime(ctx, &err) || cpod_ctr_healthcheck_timer(ctx->rt, argv[0], &err) < 0)
                return cli_fail(&err);
        return 0;
}

static const struct cli_cmd cmd_hc_timer = {
        .name = "timer",
        .use = "CONTAINER-ID",
        .summary = "Run a container's healthcheck every interval while it runs (started by cpod itself)",
        .run = run_hc_timer,
        .min_args = 1,
        .max_args = 1,
        .hidden = true,
};

const struct cli_cmd cmd_healthcheck = {
        .name = "healthcheck",
        .use = "[command]",
        .summary = "Manage health checks on containers",
        .description = "Run health checks on containers",
        .subcmds = CMD_LIST(&cmd_hc_run, &cmd_hc_timer),
};
