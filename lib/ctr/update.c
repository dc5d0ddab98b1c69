/* SPDX-License-Identifier: Apache-2.0 */
/*
 * update: change a container's resource limits.  The new values are merged
 * into its config and checked as at create (podman's errors); a running or
 * paused container gets them through `<runtime> update --resources`, which
 * writes its cgroup (v1 or v2); then the config is saved, so the next start
 * (a restart, a stopped container started again) keeps them.  Nothing is
 * saved when the runtime refuses the values.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/container.h>

#include "ctr/cgroup-stats.h"
#include "ctr/ctr-config.h"
#include "ctr/ctr.h"
#include "ctr/oci.h"
#include "ctr/spec.h"
#include "runtime/lock.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/xalloc.h"

/* The members update may change: the resource limits of the create config. */
static const char *const members[] = {
        "Memory",         "MemoryReservation", "MemorySwap",        "Cpus",
        "CpuShares",      "CpuPeriod",         "CpuQuota",          "CpusetCpus",
        "CpusetMems",     "PidsLimit",         "MemorySwappiness",  "CpuRtPeriod",
        "CpuRtRuntime",   "BlkioWeight",       "BlkioWeightDevice", "DeviceReadBps",
        "DeviceWriteBps", "DeviceReadIOps",    "DeviceWriteIOps",   NULL,
};

static bool allowed(const char *key)
{
        for (size_t i = 0; members[i]; i++)
                if (strcmp(members[i], key) == 0)
                        return true;
        return false;
}

/* The container's config with res's members over it, checked. */
static int merge(struct cpod_runtime *rt, const struct ctr *c, const json_t *res, struct ctr_config *ret,
                 cpod_error_t *err)
{
        _cleanup_json_ json_t *j = ctr_config_to_json(&c->cfg);
        const char *k;
        json_t *v;

        json_object_foreach((json_t *)res, k, v) {
                if (!allowed(k))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "update cannot change %s", k);
                json_object_set(j, k, v);
        }
        /* --cpus replaces a period and quota given before, and the reverse (podman's conflict is per command). */
        bool cpus = json_object_get(res, "Cpus"),
             cfs = json_object_get(res, "CpuPeriod") || json_object_get(res, "CpuQuota");
        if (cpus && !cfs) {
                json_object_del(j, "CpuPeriod");
                json_object_del(j, "CpuQuota");
        } else if (cfs && !cpus)
                json_object_del(j, "Cpus");
        if (ctr_config_parse(j, true, ret, err) < 0 || spec_resources_check(rt, ret, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        return 0;
}

static int write_cg(const char *dir, const char *file, const char *text, cpod_error_t *err)
{
        _cleanup_free_ char *path = path_join(dir, file);
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);

        if (fd < 0 || write_all(fd, text, strlen(text)) < 0)
                return cpod_error_sys(err, errno, "write %s", path);
        return 0;
}

/* "MAJ:MIN RATE" lines of a blockIO throttle list into a v1 file; zero: remove the limits. */
static int write_throttles(const char *dir, const char *file, json_t *list, bool zero, cpod_error_t *err)
{
        size_t i;
        json_t *e;

        json_array_foreach(list, i, e) {
                _cleanup_free_ char *line =
                        xasprintf("%lld:%lld %lld", (long long)json_integer_value(json_object_get(e, "major")),
                                  (long long)json_integer_value(json_object_get(e, "minor")),
                                  zero ? 0LL : (long long)json_integer_value(json_object_get(e, "rate")));
                if (write_cg(dir, file, line, err) < 0)
                        return -EIO;
        }
        return 0;
}

/*
 * runc 1.1's update leaves the block IO throttles and memory.swappiness alone: on cgroup v1 (and
 * the v1 controllers of the hybrid layout) cpod writes them into the container's cgroup itself,
 * removing the throttles of the old config first.
 */
static int apply_v1_rest(struct cpod_runtime *rt, const struct ctr *c, json_t *res, cpod_error_t *err)
{
        static const char *const throttles[][2] = {
                { "throttleReadBpsDevice", "blkio.throttle.read_bps_device" },
                { "throttleWriteBpsDevice", "blkio.throttle.write_bps_device" },
                { "throttleReadIOPSDevice", "blkio.throttle.read_iops_device" },
                { "throttleWriteIOPSDevice", "blkio.throttle.write_iops_device" },
        };
        _cleanup_free_ char *procf = xasprintf("/proc/%d/cgroup", c->pid), *proc = NULL, *blk = NULL, *mem = NULL;
        _cleanup_free_ char *blkdir = NULL, *memdir = NULL;
        _cleanup_json_ json_t *old = NULL;
        json_t *sw = json_object_get(json_object_get(res, "memory"), "swappiness");
        cpod_error_t ignore = CPOD_ERROR_INIT;
        size_t len;

        if (rt->cgroup_mode == CPOD_CGROUP_V2 || c->pid <= 0)
                return 0;
        if (read_file(procf, &proc, &len, 1 << 16, err) < 0)
                return cpod_error_rc(err, -EIO);
        blk = cg_proc_path(proc, "blkio");
        mem = cg_proc_path(proc, "memory");
        if (!blk || !mem || strstr(blk, "..") || strstr(mem, ".."))
                return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "no blkio or memory cgroup in %s", procf);
        blkdir = xasprintf("/sys/fs/cgroup/blkio%s", blk);
        memdir = xasprintf("/sys/fs/cgroup/memory%s", mem);
        /* the old limits' devices: those still there (one gone has no limit left to remove) */
        if (spec_resources(rt, &c->cfg, &old, &ignore) < 0)
                cpod_error_clear(&ignore);
        for (size_t i = 0; i < sizeof(throttles) / sizeof(throttles[0]); i++) {
                json_t *now = json_object_get(json_object_get(res, "blockIO"), throttles[i][0]);
                json_t *before = json_object_get(json_object_get(old, "blockIO"), throttles[i][0]);
                if (write_throttles(blkdir, throttles[i][1], before, true, err) < 0 ||
                    write_throttles(blkdir, throttles[i][1], now, false, err) < 0)
                        return -EIO;
        }
        if (sw) {
                char v[32];
                snprintf(v, sizeof(v), "%lld", (long long)json_integer_value(sw));
                if (write_cg(memdir, "memory.swappiness", v, err) < 0)
                        return -EIO;
        }
        return 0;
}

/* The runtime writes the running container's cgroup. */
static int apply(struct cpod_runtime *rt, const struct ctr *c, const struct ctr_config *cfg, cpod_error_t *err)
{
        _cleanup_json_ json_t *r = NULL;
        _cleanup_free_ char *dir = ctr_bundle_dir(rt, c->id), *file = path_join(dir, "update-resources.json");
        _cleanup_free_ char *text = NULL;
        const char *a[] = { "--resources", file, c->id, NULL };
        int ret;

        if (spec_resources(rt, cfg, &r, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        json_object_del(r, "devices"); /* the device rules are not limits, and fixed at create */
        text = json_dumps(r, JSON_COMPACT);
        if (write_file_atomic(file, text, strlen(text), 0600, err) < 0)
                return cpod_error_rc(err, -EIO);
        ret = oci_run(rt, "update", a, err);
        (void)unlink(file);
        if (ret == 0)
                ret = apply_v1_rest(rt, c, r, err);
        return ret < 0 ? cpod_error_wrap(err, "update the cgroup of container %s", c->id) : 0;
}

int cpod_ctr_update(struct cpod_runtime *rt, const char *name, const json_t *res, cpod_error_t *err)
{
        struct ctr c = { 0 };
        struct ctr_config cfg = { 0 };
        char id[65];
        int fd, r;

        if (!json_is_object(res))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "update: resources must be an object");
        if (cpod_ctr_lookup(rt, name, id, err) < 0 || (fd = ctr_lock_load(rt, id, &c, err)) < 0)
                return cpod_error_rc(err, -ENOENT);
        r = merge(rt, &c, res, &cfg, err);
        if (r == 0 && (c.state == CPOD_CTR_RUNNING || c.state == CPOD_CTR_PAUSED))
                r = apply(rt, &c, &cfg, err);
        if (r == 0) {
                ctr_config_clear(&c.cfg);
                c.cfg = cfg;
                memset(&cfg, 0, sizeof(cfg));
                r = ctr_db_save_config(rt, &c, err);
        }
        ctr_config_clear(&cfg);
        ctr_clear(&c);
        obj_unlock(fd);
        return r;
}
