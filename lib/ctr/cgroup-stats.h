/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading a process's cgroup counters, behind one table per layout (as crun
 * does for its cgroup managers): cgroup v1 (also the hybrid layout, whose
 * controllers are v1) and cgroup v2.  The cgroups are found from the
 * process's /proc/PID/cgroup, so the cgroupfs and systemd managers, a pod's
 * parent and a custom --cgroup-parent need no path rules here.  root is where
 * the hierarchies are mounted (/sys/fs/cgroup; a fixture tree in tests).
 */
#ifndef CPOD_CTR_CGROUP_STATS_H
#define CPOD_CTR_CGROUP_STATS_H

#include <stdint.h>

#include <cpod/error.h>
#include <cpod/runtime.h>

struct cg_sample {
        uint64_t cpu_ns;        /* CPU time used, user + system */
        uint64_t cpu_system_ns; /* of which in the kernel */
        uint64_t mem_usage;     /* bytes charged, page cache included (what podman shows) */
        uint64_t blk_read, blk_write;
        uint64_t pids;
};

struct cg_stats_ops {
        const char *name;
        /* proc_cgroup: the text of /proc/PID/cgroup.  Counters a controller lacks stay 0. */
        int (*sample)(const char *root, const char *proc_cgroup, struct cg_sample *ret, cpod_error_t *err);
};

extern const struct cg_stats_ops cg_stats_v1, cg_stats_v2;

/* The table for a host layout (hybrid reads its v1 controllers). */
const struct cg_stats_ops *cg_stats_ops_for(enum cpod_cgroup_mode mode);

/* The path of controller ctrl ("memory", ...; "" for the v2 line "0::") in /proc/PID/cgroup text; caller frees. */
char *cg_proc_path(const char *proc_cgroup, const char *ctrl);
/* Read an unsigned number from dir/file; false when absent or not a number ("max" too). */
bool cg_read_u64(const char *dir, const char *file, uint64_t *ret);
/* The text of dir/file (at most 1 MiB), or NULL; caller frees. */
char *cg_read_text(const char *dir, const char *file);
/* The value after "key " (or "key=") in a flat-keyed file's text, 0 when absent. */
uint64_t cg_keyed(const char *text, const char *key);

#endif
