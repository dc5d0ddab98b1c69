/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The local volume driver: a directory NAME/_data under the volume path;
 * with -o type=/device=/o= a filesystem mounted there as mount(8) would
 * (o= also takes uid= and gid=, the owner of the volume's root, and for a
 * tmpfs size= and the like pass through).  A mounted volume stays mounted
 * until it is unmounted (`volume unmount`) or removed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "volume/volume.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

static bool wants_mount(const json_t *options)
{
        return json_get_str(options, "type") || json_get_str(options, "device");
}

static int local_check(const json_t *options, cpod_error_t *err)
{
        const char *k;
        json_t *v;

        json_object_foreach((json_t *)options, k, v) {
                if (strcmp(k, "type") != 0 && strcmp(k, "device") != 0 && strcmp(k, "o") != 0)
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "unrecognized volume option \"%s\" is not supported with the local "
                                              "driver: invalid argument",
                                              k);
                if (!json_is_string(v) || strpbrk(json_string_value(v), "\n"))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "volume option %s: bad value", k);
        }
        if (json_get_str(options, "o") && !wants_mount(options)) {
                /* o= alone only sets the owner: anything else needs something to mount. */
                _cleanup_strv_ char **o = strv_split(json_get_str(options, "o"), ",");
                for (char **p = o; *p; p++)
                        if (strncmp(*p, "uid=", 4) != 0 && strncmp(*p, "gid=", 4) != 0)
                                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                                      "volume option o=%s needs type= or device= to mount", *p);
        }
        return 0;
}

static int local_create(struct cpod_runtime *rt, const struct vol *v, cpod_error_t *err)
{
        _cleanup_free_ char *dir = vol_dir(rt, v->name);

        (void)rt;
        if (mkdir_p(dir, 0700, err) < 0 || mkdir_p(v->mountpoint, 0755, err) < 0)
                return cpod_error_rc(err, -EIO);
        if ((v->uid >= 0 || v->gid >= 0) &&
            chown(v->mountpoint, (uid_t)(v->uid >= 0 ? v->uid : -1), (gid_t)(v->gid >= 0 ? v->gid : -1)) < 0)
                return cpod_error_sys(err, errno, "chown %s", v->mountpoint);
        return 0;
}

/* Is something mounted exactly at path (from /proc/self/mountinfo)? */
static bool mounted_at(const char *path)
{
        _cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
        char line[4096], mp[4096];

        while (f && fgets(line, sizeof(line), f))
                if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) == 1 && strcmp(mp, path) == 0)
                        return true;
        return false;
}

static const struct {
        const char *name;
        unsigned long set, clear;
} flag_opts[] = {
        { "ro", MS_RDONLY, 0 },         { "rw", 0, MS_RDONLY },           { "nodev", MS_NODEV, 0 },
        { "dev", 0, MS_NODEV },         { "noexec", MS_NOEXEC, 0 },       { "exec", 0, MS_NOEXEC },
        { "nosuid", MS_NOSUID, 0 },     { "suid", 0, MS_NOSUID },         { "sync", MS_SYNCHRONOUS, 0 },
        { "async", 0, MS_SYNCHRONOUS }, { "noatime", MS_NOATIME, 0 },     { "relatime", MS_RELATIME, 0 },
        { "bind", MS_BIND, 0 },         { "rbind", MS_BIND | MS_REC, 0 }, { "defaults", 0, 0 },
};

/* o= as mount(8): flags, and the rest as the filesystem's data; uid=/gid= stay data for tmpfs only. */
static void split_o(const char *o, const char *type, unsigned long *flags, struct strbuf *data)
{
        _cleanup_strv_ char **v = strv_split(o ? o : "", ",");
        bool tmpfs = type && strcmp(type, "tmpfs") == 0;

        for (char **p = v; *p; p++) {
                size_t i;
                for (i = 0; i < sizeof(flag_opts) / sizeof(flag_opts[0]); i++)
                        if (strcmp(*p, flag_opts[i].name) == 0) {
                                *flags = (*flags | flag_opts[i].set) & ~flag_opts[i].clear;
                                break;
                        }
                if (i < sizeof(flag_opts) / sizeof(flag_opts[0]))
                        continue;
                if (!tmpfs && (strncmp(*p, "uid=", 4) == 0 || strncmp(*p, "gid=", 4) == 0))
                        continue;
                strbuf_addf(data, "%s%s", data->len ? "," : "", *p);
        }
}

static int local_mount(struct cpod_runtime *rt, const struct vol *v, cpod_error_t *err)
{
        const char *type = json_get_str(v->options, "type");
        const char *dev = json_get_str(v->options, "device");
        unsigned long flags = 0;
        struct strbuf data = STRBUF_INIT;
        int r = 0;

        (void)rt;
        if (!wants_mount(v->options) || mounted_at(v->mountpoint))
                return 0;
        split_o(json_get_str(v->options, "o"), type, &flags, &data);
        if (mount(dev ? dev : type, v->mountpoint, (flags & MS_BIND) ? NULL : type, flags, data.len ? data.buf : NULL) <
            0)
                r = cpod_error_sys(err, errno, "mounting volume %s: mount %s on %s (type %s, options \"%s\")", v->name,
                                   dev ? dev : type, v->mountpoint, type ? type : "none", data.len ? data.buf : "");
        strbuf_release(&data);
        return r;
}

static int local_unmount(struct cpod_runtime *rt, const struct vol *v, cpod_error_t *err)
{
        (void)rt;
        while (wants_mount(v->options) && mounted_at(v->mountpoint))
                if (umount2(v->mountpoint, MNT_DETACH) < 0)
                        return cpod_error_sys(err, errno, "unmounting volume %s", v->name);
        return 0;
}

static int local_remove(struct cpod_runtime *rt, const struct vol *v, cpod_error_t *err)
{
        _cleanup_free_ char *dir = vol_dir(rt, v->name);

        if (local_unmount(rt, v, err) < 0)
                return cpod_error_rc(err, -EIO);
        return rm_rf(dir, err);
}

const struct vol_driver vol_driver_local = {
        .name = "local",
        .check = local_check,
        .create = local_create,
        .mount = local_mount,
        .unmount = local_unmount,
        .remove = local_remove,
};

const struct vol_driver *vol_driver_find(const char *name)
{
        if (!name || !*name || strcmp(name, vol_driver_local.name) == 0)
                return &vol_driver_local;
        return NULL;
}
