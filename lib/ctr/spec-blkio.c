/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Block IO limits: --blkio-weight, --blkio-weight-device and the throttles
 * --device-read-bps, --device-write-bps, --device-read-iops,
 * --device-write-iops, as linux.resources.blockIO.  The config keeps the
 * user's "/dev/PATH:VALUE"; the device numbers are looked up (stat) at
 * create, where a missing device is podman's error, and again each time the
 * runtime config is written, since a device node (a loop device) may be
 * another device by then.  A limit the kernel has no file for is dropped
 * with podman's warning (cgroup v1: this kernel may have the throttle files
 * but no blkio.weight).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cpod/runtime.h>

#include "ctr/ctr-config.h"
#include "ctr/spec.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/human.h"
#include "util/json.h"
#include "util/xalloc.h"

struct blkio_list {
        size_t off;                /* the char ** in struct ctr_config */
        const char *spec_key;      /* in linux.resources.blockIO */
        const char *v1_file;       /* the cgroup v1 file that must exist */
        enum spec_blkio_kind kind; /* how VALUE reads */
        const char *warning;       /* podman's, when the kernel has no such file */
};

static const struct blkio_list lists[] = {
        { offsetof(struct ctr_config, blkio_weight_device), "weightDevice", "blkio.weight_device", SPEC_BLKIO_WEIGHT,
          "Your kernel does not support Block I/O weight_device or the cgroup is not mounted. Weight-device "
          "discarded." },
        { offsetof(struct ctr_config, device_read_bps), "throttleReadBpsDevice", "blkio.throttle.read_bps_device",
          SPEC_BLKIO_BPS,
          "Your kernel does not support BPS Block I/O read limit or the cgroup is not mounted. Block I/O BPS read "
          "limit discarded" },
        { offsetof(struct ctr_config, device_write_bps), "throttleWriteBpsDevice", "blkio.throttle.write_bps_device",
          SPEC_BLKIO_BPS,
          "Your kernel does not support BPS Block I/O write limit or the cgroup is not mounted. Block I/O BPS write "
          "limit discarded." },
        { offsetof(struct ctr_config, device_read_iops), "throttleReadIOPSDevice", "blkio.throttle.read_iops_device",
          SPEC_BLKIO_IOPS,
          "Your kernel does not support IOPS Block read limit or the cgroup is not mounted. Block I/O IOPS read "
          "limit discarded." },
        { offsetof(struct ctr_config, device_write_iops), "throttleWriteIOPSDevice", "blkio.throttle.write_iops_device",
          SPEC_BLKIO_IOPS,
          "Your kernel does not support IOPS Block I/O write limit or the cgroup is not mounted. Block I/O IOPS "
          "write limit discarded." },
};

static char *const *list_of(const struct ctr_config *c, const struct blkio_list *l)
{
        return *(char **const *)((const char *)c + l->off);
}

/* Has the kernel this blkio file?  On cgroup v2 the runtime maps the limits to io.* itself. */
static bool supported(struct cpod_runtime *rt, const char *v1_file)
{
        _cleanup_free_ char *path = NULL;

        if (rt->cgroup_mode == CPOD_CGROUP_V2)
                return true;
        path = xasprintf("/sys/fs/cgroup/blkio/%s", v1_file);
        return access(path, F_OK) == 0;
}

static bool all_digits(const char *s)
{
        return *s && strspn(s, "0123456789") == strlen(s);
}

int spec_blkio_parse(const char *spec, enum spec_blkio_kind kind, char **ret_path, uint64_t *ret_value,
                     cpod_error_t *err)
{
        const char *colon = strchr(spec, ':'), *v = colon ? colon + 1 : NULL;
        int64_t n = 0;

        if (!colon)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "bad format: %s", spec);
        if (strncmp(spec, "/dev/", 5) != 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "bad format for device path: %s", spec);
        switch (kind) {
        case SPEC_BLKIO_WEIGHT:
                errno = 0;
                n = all_digits(v) ? (int64_t)strtoull(v, NULL, 10) : -1;
                if (n < 0 || errno || (n > 0 && (n < 10 || n > 1000)))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid weight for device: %s", spec);
                break;
        case SPEC_BLKIO_BPS:
                if (parse_size(v, &n) < 0 || n < 0)
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "invalid rate for device: %s. The correct format is "
                                              "<device-path>:<number>[<unit>]. Number must be a positive integer. "
                                              "Unit is optional and can be kb, mb, or gb",
                                              spec);
                break;
        case SPEC_BLKIO_IOPS:
                errno = 0;
                n = all_digits(v) ? (int64_t)strtoull(v, NULL, 10) : -1;
                if (n < 0 || errno)
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "invalid rate for device: %s. The correct format is "
                                              "<device-path>:<number>. Number must be a positive integer",
                                              spec);
                break;
        }
        if (ret_path)
                *ret_path = xstrndup(spec, (size_t)(colon - spec));
        if (ret_value)
                *ret_value = (uint64_t)n;
        return 0;
}

/* {major, minor, rate|weight} for one "/dev/PATH:VALUE"; podman's errors for a device that is not there. */
static json_t *device_entry(const struct blkio_list *l, const char *spec, cpod_error_t *err)
{
        _cleanup_free_ char *path = NULL;
        uint64_t v;
        struct stat st;

        if (spec_blkio_parse(spec, l->kind, &path, &v, err) < 0)
                return NULL;
        if (stat(path, &st) < 0) {
                int e = errno;
                if (l->kind == SPEC_BLKIO_WEIGHT)
                        cpod_error_sys(err, e, "failed to inspect '%s' in --blkio-weight-device", path);
                else
                        cpod_error_sys(err, e, "could not parse throttle device at %s", path);
                err->kind = CPOD_E_INVALID;
                return NULL;
        }
        return json_pack("{s:I, s:I, s:I}", "major", (json_int_t)major(st.st_rdev), "minor",
                         (json_int_t)minor(st.st_rdev), l->kind == SPEC_BLKIO_WEIGHT ? "weight" : "rate",
                         (json_int_t)v);
}

int spec_blkio_check(struct cpod_runtime *rt, const struct ctr_config *cfg, cpod_error_t *err)
{
        /* cpod checks the range on every kernel: podman only where the kernel has blkio.weight. */
        if (cfg->has_blkio_weight && (cfg->blkio_weight < 10 || cfg->blkio_weight > 1000))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "range of blkio weight is from 10 to 1000");
        for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
                char *const *v = list_of(cfg, &lists[i]);
                for (size_t k = 0; v && v[k]; k++) {
                        json_t *e = device_entry(&lists[i], v[k], err);
                        if (!e)
                                return cpod_error_rc(err, -EINVAL);
                        json_decref(e);
                }
                if (v && v[0] && !supported(rt, lists[i].v1_file))
                        rt_warn(rt, "%s", lists[i].warning);
        }
        if (cfg->has_blkio_weight && !supported(rt, "blkio.weight"))
                rt_warn(rt, "Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight "
                            "discarded.");
        return 0;
}

int spec_blkio(struct cpod_runtime *rt, const struct ctr_config *cfg, json_t *resources, cpod_error_t *err)
{
        _cleanup_json_ json_t *io = json_object();

        if (cfg->has_blkio_weight && supported(rt, "blkio.weight"))
                json_object_set_new(io, "weight", json_integer(cfg->blkio_weight));
        for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
                char *const *v = list_of(cfg, &lists[i]);
                json_t *arr;
                if (!v || !v[0] || !supported(rt, lists[i].v1_file))
                        continue;
                arr = json_array();
                json_object_set_new(io, lists[i].spec_key, arr);
                for (size_t k = 0; v[k]; k++) {
                        json_t *e = device_entry(&lists[i], v[k], err);
                        if (!e)
                                return cpod_error_rc(err, -EINVAL);
                        json_array_append_new(arr, e);
                }
        }
        if (json_object_size(io))
                json_object_set(resources, "blockIO", io);
        return 0;
}

/* inspect: [{Path, Rate}] or [{Path, Weight}] from the user's list, as podman shows them. */
json_t *spec_blkio_inspect(char *const *list, enum spec_blkio_kind kind)
{
        bool weight = kind == SPEC_BLKIO_WEIGHT;

        json_t *a = json_array();

        for (size_t k = 0; list && list[k]; k++) {
                _cleanup_free_ char *path = NULL;
                uint64_t v;
                if (spec_blkio_parse(list[k], kind, &path, &v, NULL) < 0)
                        continue;
                json_array_append_new(a,
                                      json_pack("{s:s, s:I}", "Path", path, weight ? "Weight" : "Rate", (json_int_t)v));
        }
        return a;
}
