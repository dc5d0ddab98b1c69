/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --device HOST[:CONTAINER][:PERMISSIONS]: a host device node created in
 * the container (linux.devices) and allowed in its device cgroup with
 * the given permissions (r, w, m; default rwm).  The host path is looked
 * at when the container is created (for a clear error) and again at each
 * start (its numbers may change).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "ctr/ctr-config.h"
#include "ctr/spec.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
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

/* A MAJOR or MINOR of a device cgroup rule: a number, or '*' (-1, any). */
static bool rule_number(const char *s, size_t n, json_int_t *ret)
{
        json_int_t v = 0;

        if (n == 1 && s[0] == '*') {
                *ret = -1;
                return true;
        }
        if (n == 0 || n > 9 || strspn(s, "0123456789") < n)
                return false;
        for (size_t i = 0; i < n; i++)
                v = v * 10 + (s[i] - '0');
        *ret = v;
        return true;
}

/* --device-cgroup-rule "TYPE MAJOR:MINOR ACCESS" (TYPE a, b or c; ACCESS of r, w, m), as a resources.devices entry. */
static json_t *parse_cgroup_rule(const char *rule, cpod_error_t *err)
{
        char type[2], numbers[24], access[4];
        const char *colon;
        json_int_t maj, min;
        int used = 0;

        if (sscanf(rule, "%1[abc] %23[0-9*:] %3[rwm]%n", type, numbers, access, &used) != 3 || rule[used] != '\0' ||
            !(colon = strchr(numbers, ':')) || !rule_number(numbers, (size_t)(colon - numbers), &maj) ||
            !rule_number(colon + 1, strlen(colon + 1), &min)) {
                cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                               "invalid device cgroup rule requires type, major:Minor, and access rules: \"%s\"", rule);
                return NULL;
        }
        return json_pack("{s:b, s:s, s:I, s:I, s:s}", "allow", 1, "type", type, "major", maj, "minor", min, "access",
                         access);
}

int spec_devices_check(const struct ctr_config *cfg, cpod_error_t *err)
{
        for (char **s = cfg->devices; s && *s; s++) {
                struct device d;
                if (parse_device(*s, &d, err) < 0)
                        return cpod_error_rc(err, -EINVAL);
                device_clear(&d);
        }
        for (char **s = cfg->device_cgroup_rules; s && *s; s++) {
                json_t *r = parse_cgroup_rule(*s, err);
                if (!r)
                        return cpod_error_rc(err, -EINVAL);
                json_decref(r);
        }
        return 0;
}

static json_t *device_node(const char *path, const struct stat *st)
{
        return json_pack("{s:s, s:s, s:I, s:I, s:i, s:I, s:I}", "path", path, "type", S_ISCHR(st->st_mode) ? "c" : "b",
                         "major", (json_int_t)major(st->st_rdev), "minor", (json_int_t)minor(st->st_rdev), "fileMode",
                         (int)(st->st_mode & 07777), "uid", (json_int_t)st->st_uid, "gid", (json_int_t)st->st_gid);
}

static bool has_path(json_t *devs, const char *path)
{
        size_t i;
        json_t *e;

        json_array_foreach(devs, i, e)
                if (strcmp(json_get_str(e, "path"), path) == 0)
                        return true;
        return false;
}

/*
 * --privileged: the host's device nodes, as podman gives them.  Not those runc makes itself or that
 * belong to the container's own mounts (pts, shm, mqueue), nor the host console; with -t not the
 * host's terminals either, so the container's tty is its own.
 */
static void host_devices(const char *dir, bool tty, json_t *devs)
{
        static const char *const skip[] = { "pts", "shm", "fd", "mqueue", "console", "ptmx", ".lxc", ".udev", NULL };
        DIR *d = opendir(dir);
        struct dirent *de;

        if (!d)
                return;
        while ((de = readdir(d))) {
                _cleanup_free_ char *p = NULL;
                struct stat st;
                if (de->d_name[0] == '.' && (!de->d_name[1] || strcmp(de->d_name, "..") == 0))
                        continue;
                if (strv_contains((char *const *)skip, de->d_name) || (tty && strncmp(de->d_name, "tty", 3) == 0))
                        continue;
                p = path_join(dir, de->d_name);
                if (lstat(p, &st) < 0)
                        continue;
                if (S_ISDIR(st.st_mode))
                        host_devices(p, tty, devs);
                else if ((S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) && !has_path(devs, p))
                        json_array_append_new(devs, device_node(p, &st));
        }
        closedir(d);
}

int spec_add_devices(const struct ctr_config *cfg, json_t *lx, cpod_error_t *err)
{
        json_t *devs = json_object_get(lx, "devices"),
               *allow = json_object_get(json_object_get(lx, "resources"), "devices");

        for (char **s = cfg->device_cgroup_rules; s && *s; s++) {
                json_t *r = parse_cgroup_rule(*s, err);
                if (!r)
                        return cpod_error_rc(err, -EINVAL);
                json_array_append_new(allow, r);
        }
        if (!devs)
                json_object_set_new(lx, "devices", devs = json_array());
        for (char **s = cfg->devices; s && *s; s++) {
                struct device d;
                const char *type;
                if (parse_device(*s, &d, err) < 0)
                        return cpod_error_rc(err, -EINVAL);
                type = S_ISCHR(d.st.st_mode) ? "c" : "b";
                /* the host node's mode and owners, as podman: --group-add dialout then opens a tty */
                json_array_append_new(devs, device_node(d.dst, &d.st));
                json_array_append_new(allow, json_pack("{s:b, s:s, s:I, s:I, s:s}", "allow", 1, "type", type, "major",
                                                       (json_int_t)major(d.st.st_rdev), "minor",
                                                       (json_int_t)minor(d.st.st_rdev), "access", d.perms));
                device_clear(&d);
        }
        if (cfg->privileged)
                host_devices("/dev", cfg->tty, devs);
        if (json_array_size(devs) == 0)
                json_object_del(lx, "devices");
        return 0;
}
