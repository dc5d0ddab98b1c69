/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --device HOST[:CONTAINER][:PERMISSIONS]: a host device node created in
 * the container (linux.devices) and allowed in its device cgroup with
 * the given permissions (r, w, m; default rwm).  The host path is looked
 * at when the container is created (for a clear error) and again at each
 * start (its numbers may change).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "ctr/ctr-config.h"
#include "ctr/spec.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct device {
        char *src, *dst, *perms;
        struct stat st;
};

static void device_clear(struct device *d)
{
        free(d->src);
        free(d->dst);
        free(d->perms);
}

static bool is_mode(const char *s)
{
        return *s && strspn(s, "rwm") == strlen(s) && strlen(s) <= 3;
}

static int parse_device(const char *spec, struct device *d, cpod_error_t *err)
{
        _cleanup_strv_ char **parts = strv_split(spec, ":");
        size_t n = strv_length(parts);

        memset(d, 0, sizeof(*d));
        if (n < 1 || n > 3 || !*parts[0] || (n == 3 && !is_mode(parts[2])))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid device specification: %s", spec);
        d->src = xstrdup(parts[0]);
        if (n == 2 && is_mode(parts[1])) {
                d->perms = xstrdup(parts[1]);
        } else {
                d->dst = n >= 2 ? xstrdup(parts[1]) : NULL;
                d->perms = xstrdup(n == 3 ? parts[2] : "rwm");
        }
        if (!d->dst)
                d->dst = xstrdup(d->src);
        if (d->src[0] != '/' || d->dst[0] != '/' || strstr(d->dst, "/../") || strcmp(d->dst, "/") == 0) {
                device_clear(d);
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid device specification: %s", spec);
        }
        if (stat(d->src, &d->st) < 0) {
                int e = errno;
                device_clear(d);
                return cpod_error_sys(err, e, "stat %s", spec);
        }
        if (!S_ISCHR(d->st.st_mode) && !S_ISBLK(d->st.st_mode)) {
                device_clear(d);
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "%s is not a device node (cpod adds single devices, "
                                      "not directories of them)",
                                      spec);
        }
        return 0;
}

int spec_devices_check(const struct ctr_config *cfg, cpod_error_t *err)
{
        for (char **s = cfg->devices; s && *s; s++) {
                struct device d;
                if (parse_device(*s, &d, err) < 0)
                        return cpod_error_rc(err, -EINVAL);
                device_clear(&d);
        }
        return 0;
}

int spec_add_devices(const struct ctr_config *cfg, json_t *lx, cpod_error_t *err)
{
        json_t *devs = json_object_get(lx, "devices"),
               *allow = json_object_get(json_object_get(lx, "resources"), "devices");

        if (!cfg->devices || !cfg->devices[0])
                return 0;
        if (!devs)
                json_object_set_new(lx, "devices", devs = json_array());
        for (char **s = cfg->devices; *s; s++) {
                struct device d;
                const char *type;
                if (parse_device(*s, &d, err) < 0)
                        return cpod_error_rc(err, -EINVAL);
                type = S_ISCHR(d.st.st_mode) ? "c" : "b";
                /* the host node's mode and owners, as podman: --group-add dialout then opens a tty */
                json_array_append_new(devs, json_pack("{s:s, s:s, s:I, s:I, s:i, s:I, s:I}", "path", d.dst, "type",
                                                      type, "major", (json_int_t)major(d.st.st_rdev), "minor",
                                                      (json_int_t)minor(d.st.st_rdev), "fileMode",
                                                      (int)(d.st.st_mode & 07777), "uid", (json_int_t)d.st.st_uid,
                                                      "gid", (json_int_t)d.st.st_gid));
                json_array_append_new(allow, json_pack("{s:b, s:s, s:I, s:I, s:s}", "allow", 1, "type", type, "major",
                                                       (json_int_t)major(d.st.st_rdev), "minor",
                                                       (json_int_t)minor(d.st.st_rdev), "access", d.perms));
                device_clear(&d);
        }
        return 0;
}
