/* SPDX-License-Identifier: Apache-2.0 */
/* system service: serve the REST API (api/) until idle. */
#include <stdio.h>

#include "api/api.h"
#include "cli/commands.h"

struct service_opts {
        long time;
};

static const struct cli_opt service_opts[] = {
        OPT_I("time", 't', struct service_opts, time, "5",
              "Time until the service session expires in seconds. Use 0 to disable the timeout"),
        OPT_END,
};

static void print_warning(const char *msg)
{
        cli_warn(msg, NULL);
}

static int run_service(struct cli_ctx *ctx, void *o, int argc, char **argv)
{
        struct service_opts *opts = o;
        struct cpod_runtime_opts rt_opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct api_service_opts so = { .rt_opts = &rt_opts, .uri = argc > 0 ? argv[0] : NULL, .warn = print_warning };

        if (opts->time < 0)
                return cli_errorf("invalid --time %ld: want 0 or more seconds", opts->time);
        so.idle_secs = (int)opts->time;
        cli_runtime_opts(ctx, &rt_opts);
        if (api_service_run(&so, &err) < 0) {
                int rc = cli_error(&err);
                cpod_error_clear(&err);
                return rc;
        }
        return 0;
}

const struct cli_cmd cmd_system_service = {
        .name = "service",
        .use = "[options] [URI]",
        .summary = "Run an API service",
        .description = "Run an API service (Docker Engine API v1.41) on a unix socket or a loopback TCP port",
        .example =
                "cpod system service --time 0 unix:///tmp/cpod.sock\ncpod system service --time 0 tcp:127.0.0.1:8888",
        .opts = service_opts,
        .opts_size = sizeof(struct service_opts),
        .run = run_service,
        .max_args = 1,
};
