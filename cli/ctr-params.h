/* SPDX-License-Identifier: Apache-2.0 */
/* Turning create/run flags into libcpod's creation parameters. */
#ifndef CPOD_CLI_CTR_PARAMS_H
#define CPOD_CLI_CTR_PARAMS_H

#include <jansson.h>

#include "cli/cli.h"
#include "cli/net-params.h"

/* --add-host, --dns, --dns-option, --dns-search, --no-hosts: of run/create and of pod create. */
struct cli_net_opts {
        struct strv add_host, dns, dns_option, dns_search;
        bool no_hosts;
};

/* --health-*, --no-healthcheck (health-params.c). */
struct cli_health_opts {
        const char *cmd, *interval, *on_failure, *start_period, *timeout;
        unsigned long retries;
        bool none;
};

struct run_opts {
        struct cli_net_opts net;
        struct cli_health_opts health;
        struct cli_netsel netsel;
        struct strv annotation, cap_add, cap_drop, device, env, group_add, env_file, label, label_file, log_opt, mount,
                secret, security_opt, sysctl, tmpfs, ulimit, volume, volumes_from, attach, unsetenv, device_cgroup_rule;
        /* block IO (create and update) and the cgroup options (create) */
        struct strv blkio_weight_device, device_read_bps, device_write_bps, device_read_iops, device_write_iops,
                cgroup_conf;
        const char *blkio_weight, *cgroupns, *cgroups;
        long memory_swappiness, cpu_rt_runtime;
        unsigned long cpu_rt_period;
        bool oom_kill_disable;
        const char *sdnotify;
        const char *conmon_pidfile, *tz, *image_volume, *kernel_memory, *signature_policy;
        unsigned long preserve_fds, timeout;
        bool rmi, unsetenv_all;
        const char *pid, *ipc, *uts;
        /* --userns, --uidmap, --gidmap, --subuidname, --subgidname */
        const char *userns, *subuidname, *subgidname;
        struct strv uidmap, gidmap;
        const char *memory, *memory_reservation, *memory_swap, *cpus, *cpuset_cpus, *cpuset_mems;
        unsigned long cpu_shares, cpu_period;
        long cpu_quota;
        const char *arch, *cidfile, *detach_keys, *entrypoint, *hostname, *init_path, *log_driver, *name, *os,
                *platform, *pod, *pod_id_file, *pull, *restart, *shm_size, *stop_signal, *user, *variant, *workdir;
        long pids_limit, oom_score_adj;
        unsigned long stop_timeout;
        bool detach, env_host, init, interactive, privileged, quiet, read_only, read_only_tmpfs, replace, rm, sig_proxy,
                tty;
};

/* Put the --dns... settings into p; network is --network (with "none", DNS flags are an error). */
int cli_net_params(struct cli_ctx *ctx, const struct cli_net_opts *n, const char *network, json_t *p);
/* --label-file files, then --label KEY=VALUE, as one JSON object; prints errors, returns an exit code or 0. */
int cli_labels(const struct strv *files, const struct strv *labels, json_t **ret);
/* Put the healthcheck flags that were given into p; prints errors, returns an exit code or 0. */
int cli_health_params(struct cli_ctx *ctx, const struct cli_health_opts *h, json_t *p);
/* Build the parameters; prints errors and returns an exit code, or 0. */
/*
 * -m, --memory-reservation, --memory-swap, --memory-swappiness, --cpus, --cpu-*, --cpuset-*, --blkio-weight*,
 * --device-{read,write}-{bps,iops} into p (create and update); 0 or an exit code.
 */
int cli_resource_params(struct cli_ctx *ctx, const struct run_opts *o, json_t *p);
int ctr_params_build(struct cli_ctx *ctx, const struct run_opts *o, int argc, char **argv, json_t **ret);
/*
 * Make sure the image is available under --pull, for --platform or
 * --os/--arch/--variant when given; prints errors, returns an exit code or 0.
 */
int cli_ensure_image(struct cli_ctx *ctx, const char *image, const struct run_opts *o, char ret_id[65]);

/* --log-driver and --log-opt (path=, max-size=, tag=) as params: LogDriver, LogPath, LogSizeMax, LogTag.  0 or 125. */
int cli_log_params(const char *driver, const struct strv *log_opt, json_t *p);

#endif
