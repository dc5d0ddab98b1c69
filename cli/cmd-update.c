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
        U("blkio-weight", 0, OPT_STRING, blkio_weight, "string",
          "Block IO weight (relative weight) accepts a weight value between 10 and 1000."),
        U("blkio-weight-device", 0, OPT_STRSLICE, blkio_weight_device, "DEVICE_NAME:WEIGHT",
          "Block IO weight (relative device weight, format: `DEVICE_NAME:WEIGHT`)"),
        U("cpu-period", 0, OPT_UINT, cpu_period, "uint", "Limit the CPU CFS (Completely Fair Scheduler) period"),
        U("cpu-quota", 0, OPT_INT, cpu_quota, "int", "Limit the CPU CFS (Completely Fair Scheduler) quota"),
        U("cpu-rt-period", 0, OPT_UINT, cpu_rt_period, "uint", "Limit the CPU real-time period in microseconds"),
        U("cpu-rt-runtime", 0, OPT_INT, cpu_rt_runtime, "int", "Limit the CPU real-time runtime in microseconds"),
        U("cpu-shares", 'c', OPT_UINT, cpu_shares, "uint", "CPU shares (relative weight)"),
        U("cpus", 0, OPT_STRING, cpus, "float", "Number of CPUs. The default is 0.000 which means no limit"),
        U("cpuset-cpus", 0, OPT_STRING, cpuset_cpus, "string", "CPUs in which to allow execution (0-3, 0,1)"),
        U("cpuset-mems", 0, OPT_STRING, cpuset_mems, "string",
          "Memory nodes (MEMs) in which to allow execution (0-3, 0,1). Only effective on NUMA systems."),
        U("device-read-bps", 0, OPT_STRSLICE, device_read_bps, "strings",
          "Limit read rate (bytes per second) from a device (e.g. --device-read-bps=/dev/sda:1mb)"),
        U("device-read-iops", 0, OPT_STRSLICE, device_read_iops, "strings",
          "Limit read rate (IO per second) from a device (e.g. --device-read-iops=/dev/sda:1000)"),
        U("device-write-bps", 0, OPT_STRSLICE, device_write_bps, "strings",
          "Limit write rate (bytes per second) to a device (e.g. --device-write-bps=/dev/sda:1mb)"),
        U("device-write-iops", 0, OPT_STRSLICE, device_write_iops, "strings",
          "Limit write rate (IO per second) to a device (e.g. --device-write-iops=/dev/sda:1000)"),
        U("memory", 'm', OPT_STRING, memory, "<number>[<unit>]",
          "Memory limit (format: <number>[<unit>], where unit = b "
          "(bytes), k (kibibytes), m (mebibytes), or g (gibibytes))"),
        U("memory-reservation", 0, OPT_STRING, memory_reservation, "<number>[<unit>]",
          "Memory soft limit (format: <number>[<unit>], where unit = b (bytes), k (kibibytes), m (mebibytes), or g "
          "(gibibytes))"),
        U("memory-swap", 0, OPT_STRING, memory_swap, "<number>[<unit>]",
          "Swap limit equal to memory plus swap: '-1' to enable unlimited swap"),
        OPT("memory-swappiness", 0, OPT_INT, struct run_opts, memory_swappiness, "int", "-1",
            "Tune container memory swappiness (0 to 100, or -1 for system default)"),
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
