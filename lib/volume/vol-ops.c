/* SPDX-License-Identifier: Apache-2.0 */
/* Volume operations on records and drivers: create, remove (crash-safe), mount, the inspect object. */
#include "volume/volume.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/lock.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/failpoint.h"
#include "util/fileutil.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

bool vol_name_ok(const char *name)
{
        static const char more[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";

        if (!name || !*name || strlen(name) > 255 || !strchr(more, name[0]) || name[0] == '_' || name[0] == '.' ||
            name[0] == '-')
                return false;
        return strspn(name, more) == strlen(name);
}

int vol_lock(struct cpod_runtime *rt, cpod_error_t *err)
{
        return obj_lock(rt, "volumes", err);
}

/* uid=N / gid=N in the o= option; -1 when absent, -2 when malformed. */
static int64_t owner_opt(const json_t *options, const char *key)
{
        _cleanup_strv_ char **o = strv_split(json_get_str(options, "o") ? json_get_str(options, "o") : "", ",");
        size_t n = strlen(key);

        for (char **p = o; *p; p++)
                if (strncmp(*p, key, n) == 0 && (*p)[n] == '=') {
                        char *end;
                        long long v = strtoll(*p + n + 1, &end, 10);
                        return *end || end == *p + n + 1 || v < 0 || v > 0xfffffffeLL ? -2 : v;
                }
        return -1;
}

static int fill_new(struct cpod_runtime *rt, const struct vol_create_opts *o, const struct vol_driver *d, struct vol *v,
                    cpod_error_t *err)
{
        _cleanup_free_ char *dir = NULL;
        char id[65];

        if (o->name && *o->name) {
                v->name = xstrdup(o->name);
        } else {
                random_id(id);
                v->name = xstrdup(id);
        }
        dir = vol_dir(rt, v->name);
        v->mountpoint = path_join(dir, "_data");
        v->driver = xstrdup(d->name);
        v->created = now_ns();
        v->labels = o->labels ? json_deep_copy(o->labels) : json_object();
        v->options = o->options ? json_deep_copy(o->options) : json_object();
        v->anonymous = o->anonymous;
        v->uid = owner_opt(v->options, "uid");
        v->gid = owner_opt(v->options, "gid");
        v->needs_copy_up = v->needs_chown = true;
        if (v->uid == -2 || v->gid == -2)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "volume option o=%s: uid and gid must be numbers",
                                      json_get_str(v->options, "o"));
        if (v->uid >= 0 || v->gid >= 0)
                v->needs_chown = false; /* the owner was chosen */
        return d->check(v->options, err);
}

static int create_locked(struct cpod_runtime *rt, const struct vol_create_opts *o, const struct vol_driver *d,
                         struct vol *ret, bool *ret_new, cpod_error_t *err)
{
        _cleanup_free_ char *dir = NULL;
        int r;

        vol_gc(rt);
        if (o->name && *o->name && vol_get(rt, o->name, ret, NULL) == 0) {
                if (o->ignore_existing)
                        return 0;
                vol_clear(ret);
                return cpod_error_set(err, EEXIST, CPOD_E_EXISTS,
                                      "volume with name %s already exists: volume already exists", o->name);
        }
        if ((r = fill_new(rt, o, d, ret, err)) < 0)
                return r;
        dir = vol_dir(rt, ret->name);
        (void)rm_rf(dir, NULL); /* what a create killed before its record left */
        if ((r = d->create(rt, ret, err)) < 0 || (r = failpoint("volume-create-before-record", err)) < 0 ||
            (r = vol_insert(rt, ret, err)) < 0) {
                (void)rm_rf(dir, NULL);
                return r;
        }
        *ret_new = true;
        return 0;
}

int vol_create(struct cpod_runtime *rt, const struct vol_create_opts *o, struct vol *ret, bool *ret_new,
               cpod_error_t *err)
{
        int lock = vol_lock(rt, err), r;

        if (lock < 0)
                return lock;
        r = vol_create_locked(rt, o, ret, ret_new, err);
        obj_unlock(lock);
        return r;
}

int vol_create_locked(struct cpod_runtime *rt, const struct vol_create_opts *o, struct vol *ret, bool *ret_new,
                      cpod_error_t *err)
{
        const struct vol_driver *d = vol_driver_find(o->driver);
        int r;

        memset(ret, 0, sizeof(*ret));
        *ret_new = false;
        if (o->name && *o->name && !vol_name_ok(o->name))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "volume name \"%s\" is invalid: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: "
                                      "invalid argument",
                                      o->name);
        if (!d)
                return cpod_error_set(err, ENOENT, CPOD_E_INVALID,
                                      "volume driver \"%s\" is not supported (cpod has the local driver): required "
                                      "plugin missing",
                                      o->driver);
        r = create_locked(rt, o, d, ret, ret_new, err);
        if (r < 0)
                vol_clear(ret);
        return r;
}

static int remove_rec(struct cpod_runtime *rt, const struct vol *v, cpod_error_t *err)
{
        const struct vol_driver *d = vol_driver_find(v->driver);
        int r;

        if ((r = vol_mark_removing(rt, v->name, err)) < 0 || (r = failpoint("volume-rm-mid", err)) < 0)
                return r;
        if (d && (r = d->remove(rt, v, err)) < 0)
                return cpod_error_wrap(err, "removing volume %s", v->name);
        if (!d) { /* a driver this build lacks: its data goes, as the record does */
                _cleanup_free_ char *dir = vol_dir(rt, v->name);
                (void)rm_rf(dir, NULL);
        }
        if ((r = failpoint("volume-rm-after-data", err)) < 0)
                return r;
        return vol_delete_rec(rt, v->name, err);
}

int vol_remove(struct cpod_runtime *rt, const char *name, cpod_error_t *err)
{
        struct vol v;
        int r = vol_get(rt, name, &v, err);

        if (r < 0)
                return r;
        r = remove_rec(rt, &v, err);
        vol_clear(&v);
        return r;
}

void vol_gc(struct cpod_runtime *rt)
{
        _cleanup_strv_ char **names = NULL;

        if (vol_removing(rt, &names, NULL) < 0)
                return;
        for (char **n = names; *n; n++) {
                struct vol v;
                _cleanup_free_ char *dir = vol_dir(rt, *n);
                const struct vol_driver *d;

                if (vol_get_any(rt, *n, &v) < 0)
                        continue;
                d = vol_driver_find(v.driver);
                if (d)
                        (void)d->unmount(rt, &v, NULL);
                if (rm_rf(dir, NULL) == 0)
                        (void)vol_delete_rec(rt, *n, NULL);
                vol_clear(&v);
        }
}

int vol_mount(struct cpod_runtime *rt, const struct vol *v, cpod_error_t *err)
{
        const struct vol_driver *d = vol_driver_find(v->driver);

        if (!d)
                return cpod_error_set(err, ENOENT, CPOD_E_NOT_SUPPORTED, "volume %s: driver %s is not available",
                                      v->name, v->driver);
        return d->mount(rt, v, err);
}

int vol_unmount(struct cpod_runtime *rt, const struct vol *v, cpod_error_t *err)
{
        const struct vol_driver *d = vol_driver_find(v->driver);

        return d ? d->unmount(rt, v, err) : 0;
}

json_t *vol_to_json(const struct vol *v, long mount_count)
{
        json_t *o = json_object();
        char *created = time_rfc3339nano(v->created / 1000000000LL, (long)(v->created % 1000000000LL), 0);

        json_object_set_new(o, "Name", json_string(v->name));
        json_object_set_new(o, "Driver", json_string(v->driver));
        json_object_set_new(o, "Mountpoint", json_string(v->mountpoint));
        json_object_set_new(o, "CreatedAt", json_string_take(created));
        json_object_set(o, "Labels", v->labels);
        json_object_set_new(o, "Scope", json_string("local"));
        json_object_set(o, "Options", v->options);
        if (v->uid > 0)
                json_object_set_new(o, "UID", json_integer(v->uid));
        if (v->gid > 0)
                json_object_set_new(o, "GID", json_integer(v->gid));
        if (v->anonymous)
                json_object_set_new(o, "Anonymous", json_true());
        json_object_set_new(o, "MountCount", json_integer(mount_count));
        if (v->needs_copy_up)
                json_object_set_new(o, "NeedsCopyUp", json_true());
        if (v->needs_chown)
                json_object_set_new(o, "NeedsChown", json_true());
        return o;
}
