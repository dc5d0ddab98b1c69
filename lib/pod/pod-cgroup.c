/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A pod's cgroup parent holds its containers (their runtime creates the
 * leaves).  Pod-level limits are set on the parent: cgroup v1 (and the v1
 * controllers of a hybrid host) through memory.limit_in_bytes and
 * cpu.cfs_quota_us; cgroup v2 through memory.max and cpu.max.  With the
 * systemd manager the slice is systemd's, and limits are not set here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pod/pod-internal.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/xalloc.h"

static int write_knob(const char *dir, const char *knob, const char *value, cpod_error_t *err)
{
        _cleanup_free_ char *p = path_join(dir, knob);

        if (write_file(p, value, strlen(value), 0644, err) < 0)
                return cpod_error_wrap(err, "set pod cgroup limit");
        return 0;
}

static int v1_limits(const char *parent, int64_t mem, double cpus, cpod_error_t *err)
{
        if (mem > 0) {
                _cleanup_free_ char *d = xasprintf("/sys/fs/cgroup/memory%s", parent),
                                    *v = xasprintf("%lld", (long long)mem);
                if (mkdir_p(d, 0755, err) < 0 || write_knob(d, "memory.limit_in_bytes", v, err) < 0)
                        return cpod_error_rc(err, -EIO);
        }
        if (cpus > 0) {
                _cleanup_free_ char *d = xasprintf("/sys/fs/cgroup/cpu%s", parent);
                _cleanup_free_ char *q = xasprintf("%lld", (long long)(cpus * 100000));
                if (mkdir_p(d, 0755, err) < 0 || write_knob(d, "cpu.cfs_period_us", "100000", err) < 0 ||
                    write_knob(d, "cpu.cfs_quota_us", q, err) < 0)
                        return cpod_error_rc(err, -EIO);
        }
        return 0;
}

static int v2_limits(const char *parent, int64_t mem, double cpus, cpod_error_t *err)
{
        _cleanup_free_ char *d = xasprintf("/sys/fs/cgroup%s", parent);

        if (mkdir_p(d, 0755, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (mem > 0) {
                _cleanup_free_ char *v = xasprintf("%lld", (long long)mem);
                if (write_knob(d, "memory.max", v, err) < 0)
                        return cpod_error_rc(err, -EIO);
        }
        if (cpus > 0) {
                _cleanup_free_ char *v = xasprintf("%lld 100000", (long long)(cpus * 100000));
                if (write_knob(d, "cpu.max", v, err) < 0)
                        return cpod_error_rc(err, -EIO);
        }
        return 0;
}

int pod_cgroup_setup(struct cpod_runtime *rt, const char *pod_id, json_t *params, cpod_error_t *err)
{
        int64_t mem = json_get_int(params, "Memory", 0);
        double cpus = json_is_number(json_object_get(params, "Cpus"))
                              ? json_number_value(json_object_get(params, "Cpus"))
                              : 0;
        _cleanup_free_ char *parent = pod_cgroup_parent(rt, pod_id);

        if (mem <= 0 && cpus <= 0)
                return 0;
        if (strcmp(rt->cgroup_manager, "systemd") == 0)
                return cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED,
                                      "pod resource limits with the systemd cgroup manager are not supported yet");
        if (rt->cgroup_mode == CPOD_CGROUP_V2)
                return v2_limits(parent, mem, cpus, err);
        return v1_limits(parent, mem, cpus, err);
}

void pod_cgroup_remove(struct cpod_runtime *rt, const char *pod_id, json_t *params)
{
        static const char *const ctrls[] = { "memory",  "cpu",        "cpuacct", "pids",    "devices",
                                             "freezer", "blkio",      "cpuset",  "systemd", "hugetlb",
                                             "net_cls", "perf_event", NULL };
        _cleanup_free_ char *parent = pod_cgroup_parent(rt, pod_id);

        (void)params;
        if (strcmp(rt->cgroup_manager, "systemd") == 0)
                return;
        if (rt->cgroup_mode == CPOD_CGROUP_V2) {
                _cleanup_free_ char *d = xasprintf("/sys/fs/cgroup%s", parent);
                (void)rmdir(d);
                return;
        }
        for (size_t i = 0; ctrls[i]; i++) {
                _cleanup_free_ char *d = xasprintf("/sys/fs/cgroup/%s%s", ctrls[i], parent);
                (void)rmdir(d);
        }
        if (rt->cgroup_mode == CPOD_CGROUP_HYBRID) {
                _cleanup_free_ char *d = xasprintf("/sys/fs/cgroup/unified%s", parent);
                (void)rmdir(d);
        }
}
