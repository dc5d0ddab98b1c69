/* SPDX-License-Identifier: Apache-2.0 */
/*
 * update (and container update): change a container's resource limits, the
 * flags as create's.  Unlike podman 4.3.1, which only asks the runtime, the
 * values are kept in the container's config (a restart keeps them) and a
 * stopped container can be updated too; --pids-limit is podman 4.4's.
 */
#include <stddef.h>
#include <stdio.h>

#include <cpod/container.h>

#include "cli/commands.h"
#include "cli/ctr-params.h"
#include "util/cleanup.h"
#include "util/json.h"

#define U(name, sh, type, field, argname, help) OPT(name, sh, type, struct run_opts, field, argname, NULL, help)

static const struct cli_opt update_opts[] = {
        U("cpu-period", 0, OPT_UINT, cpu_period, "uint", "Limit the CPU CFS (Completely Fair Scheduler) period"),
        U("cpu-quota", 0, OPT_INT, cpu_quota, "int", "Limit the CPU CFS (Completely Fair Scheduler) quota"),
        U("cpu-shares", 'c', OPT_UINT, cpu_shares, "uint", "CPU shares (relative weight)"),
        U("cpus", 0, OPT_STRING, cpus, "float", "Number of CPUs. The default is 0.000 which means no limit"),
        U("cpuset-cpus", 0, OPT_STRING, cpuset_cpus, "string", "CPUs in which to allow execution (0-3, 0,1)"),
        U("cpuset-mems", 0, OPT_STRING, cpuset_mems, "string",
          "Memory nodes (MEMs) in which to allow execution (0-3, 0,1). Only effective on NUMA systems."),
        U("memory", 'm', OPT_STRING, memory, "<number>[<unit>]",
          "Memory limit (format: <number>[<unit>], where unit = b "
          "(bytes), k (kibibytes), m (mebibytes), or g (gibibytes))"),
        U("memory-reservation", 0, OPT_STRING, memory_reservation, "<number>[<unit>]",
          "Memory soft limit (format: <number>[<unit>], where unit = b (bytes), k (kibibytes), m (mebibytes), or g "
          "(gibibytes))"),
        U("memory-swap", 0, OPT_STRING, memory_swap, "<number>[<unit>]",
          "Swap limit equal to memory plus swap: '-1' to enable unlimited swap"),
        U("pids-limit", 0, OPT_INT, pids_limit, "int", "Tune container pids limit (set -1 for unlimited)"),
        OPT_END,
};

static int run_update(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct run_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *res = json_object();
        char id[65];
        int r;

        (void)argc;
        if ((r = cli_resource_params(ctx, o, res)))
                return r;
        if (cli_changed(ctx, "pids-limit"))
                json_object_set_new(res, "PidsLimit", json_integer(o->pids_limit));
        if (!cli_runtime(ctx, &err) || cpod_ctr_lookup(ctx->rt, argv[0], id, &err) < 0 ||
            cpod_ctr_update(ctx->rt, id, res, &err) < 0)
                return cli_fail(&err);
        printf("%s\n", id);
        return 0;
}

const struct cli_cmd cmd_update = {
        .name = "update",
        .use = "[options] CONTAINER",
        .summary = "update an existing container",
        .description = "Updates the cgroup configuration of a given container",
        .example = "cpod update --cpus=5 foobar_container",
        .opts = update_opts,
        .opts_size = sizeof(struct run_opts),
        .run = run_update,
        .min_args = 1,
        .max_args = 1,
        .complete_args = "containers",
};
