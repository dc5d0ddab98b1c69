/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Resource usage of containers and pods, read from their cgroups (v1, v2
 * or hybrid) and network namespaces: what `stats` and `pod stats` show.
 */
#ifndef CPOD_STATS_H
#define CPOD_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include <cpod/error.h>
#include <cpod/runtime.h>

/* One sample, podman's define.ContainerStats; all zero (but id and name) for a container not running. */
struct cpod_ctr_stats {
        char id[65];
        char *name;
        bool running;
        double cpu;        /* % of one CPU since prev (or since the start without prev) */
        double avg_cpu;    /* % of one CPU since the start */
        uint64_t cpu_nano; /* CPU time used, ns */
        uint64_t cpu_system_nano;
        uint64_t system_nano;          /* when sampled, ns since the epoch */
        uint64_t mem_usage, mem_limit; /* limit: the container's, else the host's memory */
        double mem_perc;
        uint64_t net_input, net_output; /* received, sent: every interface of its netns but lo */
        uint64_t block_input, block_output;
        uint64_t pids;
};

/*
 * Sample one container (name, ID or prefix).  prev: the previous sample of the same container
 * (for the CPU % over the interval), or NULL.  Clear *ret with cpod_ctr_stats_clear.
 */
CPOD_PUBLIC int cpod_ctr_stats(struct cpod_runtime *rt, const char *name, const struct cpod_ctr_stats *prev,
                               struct cpod_ctr_stats *ret, cpod_error_t *err);
CPOD_PUBLIC void cpod_ctr_stats_clear(struct cpod_ctr_stats *s);

#endif
