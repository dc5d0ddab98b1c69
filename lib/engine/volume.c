/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The volume commands (include/cpod/volume.h): records and drivers are
 * lib/volume's; which containers use a volume, removing them with
 * --force, and the filters that look at them live here.
 */
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/container.h>
#include <cpod/volume.h>

#include "runtime/events.h"
#include "engine/engine-internal.h"
#include "runtime/lock.h"
#include "storage/copier.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"
#include "volume/volume.h"

static int check_req(const json_t *req, cpod_error_t *err)
{
        const char *k;
        json_t *v;

        json_object_foreach((json_t *)req, k, v) {
                bool ok = (strcmp(k, "Name") == 0 || strcmp(k, "Driver") == 0)    ? json_is_string(v) || json_is_null(v)
                          : strcmp(k, "Labels") == 0 || strcmp(k, "Options") == 0 ? json_is_object(v) || json_is_null(v)
                          : strcmp(k, "IgnoreIfExists") == 0                      ? json_is_boolean(v)
                                                                                  : false;
                if (!ok)
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "volume create: bad or unknown member %s",
                                              k);
        }
        json_object_foreach(json_object_get(req, "Labels"), k, v)
                if (!json_is_string(v))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "volume label %s: not a string", k);
        return 0;
}

int cpod_volume_create(struct cpod_runtime *rt, const json_t *req, json_t **ret, cpod_error_t *err)
{
        struct vol v;
        bool made;
        struct vol_create_opts o = {
                .name = json_get_str(req, "Name"),
                .driver = json_get_str(req, "Driver"),
                .labels = json_object_get(req, "Labels"),
                .options = json_object_get(req, "Options"),
                .ignore_existing = json_get_bool(req, "IgnoreIfExists", false),
        };
        int r = check_req(req, err);

        if (r == 0)
                r = vol_create(rt, &o, &v, &made, err);
        if (r < 0)
                return r;
        if (made)
                rt_event_simple(rt, "volume", "create", NULL, v.name);
        *ret = vol_to_json(&v, 0);
        vol_clear(&v);
        return 0;
}

static long running_users(struct cpod_runtime *rt, char **users)
{
        long n = 0;

        for (char **u = users; u && *u; u++)
                n += cpod_ctr_is_running(rt, *u);
        return n;
}

static json_t *vol_json(struct cpod_runtime *rt, const struct vol *v, char ***ret_users)
{
        _cleanup_strv_ char **users = NULL;
        json_t *o;

        (void)vol_users(rt, v->name, &users, NULL);
        o = vol_to_json(v, running_users(rt, users));
        if (ret_users)
                *ret_users = TAKE_PTR(users);
        return o;
}

int cpod_volume_inspect(struct cpod_runtime *rt, const char *name, json_t **ret, cpod_error_t *err)
{
        struct vol v;

        vol_gc(rt);
        if (vol_get(rt, name, &v, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        *ret = vol_json(rt, &v, NULL);
        vol_clear(&v);
        return 0;
}

int cpod_volume_list(struct cpod_runtime *rt, const json_t *filters, json_t **ret, cpod_error_t *err)
{
        struct vol *v;
        size_t n;

        if (engine_volume_filters_check(filters, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        vol_gc(rt);
        if (vol_list(rt, &v, &n, err) < 0)
                return cpod_error_rc(err, -EIO);
        *ret = json_array();
        for (size_t i = 0; i < n; i++) {
                _cleanup_strv_ char **users = NULL;
                json_t *o = vol_json(rt, &v[i], &users);
                if (engine_volume_match(filters, o, !users || !users[0]))
                        json_array_append_new(*ret, o);
                else
                        json_decref(o);
        }
        vols_free(v, n);
        return 0;
}

int cpod_volume_containers(struct cpod_runtime *rt, const char *name, char ***ret, cpod_error_t *err)
{
        if (!vol_exists(rt, name))
                return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_VOLUME,
                                      "no volume with name \"%s\" found: no such volume", name);
        return vol_users(rt, name, ret, err);
}

static int in_use(const char *name, char **users, cpod_error_t *err)
{
        _cleanup_free_ char *list = strv_join(users, ", ");

        return cpod_error_set(err, EBUSY, CPOD_E_IN_USE,
                              "volume %s is being used by the following container(s): %s: volume is being used", name,
                              list);
}

/* Under the volumes lock: remove it unless a container (still) uses it. */
static int remove_unused(struct cpod_runtime *rt, const char *name, char ***ret_users, cpod_error_t *err)
{
        int lock = vol_lock(rt, err), r;

        if (lock < 0)
                return lock;
        r = vol_users(rt, name, ret_users, err);
        if (r == 0 && !vol_exists(rt, name))
                r = cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_VOLUME,
                                   "no volume with name \"%s\" found: no such volume", name);
        if (r == 0 && !(*ret_users)[0])
                r = vol_remove(rt, name, err);
        obj_unlock(lock);
        return r;
}

int cpod_volume_remove(struct cpod_runtime *rt, const char *name, bool force, int timeout, cpod_error_t *err)
{
        _cleanup_strv_ char **users = NULL;
        int r;

        vol_gc(rt);
        if ((r = remove_unused(rt, name, &users, err)) < 0)
                return r;
        if (!users[0]) {
                rt_event_simple(rt, "volume", "remove", NULL, name);
                return 0;
        }
        if (!force)
                return in_use(name, users, err);
        /* The containers go without the volumes lock held: removing one takes its own lock. */
        if ((r = engine_remove_ctrs(rt, users, timeout, err)) < 0)
                return r;
        users = strv_free(users);
        if ((r = remove_unused(rt, name, &users, err)) == 0 && users[0])
                r = in_use(name, users, err);
        if (r == 0)
                rt_event_simple(rt, "volume", "remove", NULL, name);
        return r;
}

int cpod_volume_mount(struct cpod_runtime *rt, const char *name, char **ret_path, cpod_error_t *err)
{
        struct vol v;
        int r = vol_get(rt, name, &v, err);

        if (r == 0 && (r = vol_mount(rt, &v, err)) == 0)
                *ret_path = xstrdup(v.mountpoint);
        vol_clear(&v); /* vol_get leaves it zeroed when it fails */
        return r;
}

int cpod_volume_unmount(struct cpod_runtime *rt, const char *name, cpod_error_t *err)
{
        struct vol v;
        int r = vol_get(rt, name, &v, err);

        if (r == 0) {
                r = vol_unmount(rt, &v, err);
                vol_clear(&v);
        }
        return r;
}

/* The volume's data directory, mounted, as a root fd the copier stays inside. */
static int open_data(struct cpod_runtime *rt, const char *name, int *ret_fd, cpod_error_t *err)
{
        struct vol v;
        int r = vol_get(rt, name, &v, err);

        if (r < 0)
                return r;
        r = vol_mount(rt, &v, err);
        if (r == 0 && (*ret_fd = open(v.mountpoint, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
                r = cpod_error_sys(err, errno, "open %s", v.mountpoint);
        vol_clear(&v);
        return r;
}

int cpod_volume_export(struct cpod_runtime *rt, const char *name, int fd, cpod_error_t *err)
{
        _cleanup_close_ int root = -1;
        struct copier_get_opts go = { 0 };
        struct stat st;
        int r = open_data(rt, name, &root, err);

        if (r < 0)
                return r;
        if (fstat(root, &st) < 0)
                return cpod_error_sys(err, errno, "stat volume %s", name);
        return copier_get(root, "", &st, &go, copier_fd_write, &fd, err);
}

int cpod_volume_import(struct cpod_runtime *rt, const char *name, int fd, cpod_error_t *err)
{
        _cleanup_close_ int root = -1;
        int r = open_data(rt, name, &root, err);
        struct copier_put_opts po = { .rootfd = root, .dir = "", .read = copier_fd_read, .ud = &fd };

        if (r < 0)
                return r;
        po.rootfd = root;
        return copier_put(&po, err);
}

/* ---- filters (volume ls, volume prune) ---- */

static bool label_match(const json_t *labels, const char *want)
{
        const char *eq = strchr(want, '=');
        _cleanup_free_ char *key = eq ? xstrndup(want, (size_t)(eq - want)) : xstrdup(want);
        const char *have = json_get_str(labels, key);

        return have && (!eq || strcmp(have, eq + 1) == 0);
}

static bool regex_match(const char *pattern, const char *s)
{
        regex_t re;
        bool m;

        if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
                return strcmp(pattern, s) == 0;
        m = regexec(&re, s, 0, NULL, 0) == 0;
        regfree(&re);
        return m;
}

/* One filter value against a volume; -1 for a value the key cannot take. */
static int match_one(const char *key, const char *val, json_t *vol, bool dangling)
{
        int64_t t, created = 0;
        long ns;

        if (strcmp(key, "name") == 0)
                return regex_match(val, json_get_str(vol, "Name"));
        if (strcmp(key, "driver") == 0)
                return strcmp(val, json_get_str(vol, "Driver")) == 0;
        if (strcmp(key, "scope") == 0)
                return strcmp(val, "local") == 0;
        if (strcmp(key, "label") == 0)
                return label_match(json_object_get(vol, "Labels"), val);
        if (strcmp(key, "label!") == 0)
                return !label_match(json_object_get(vol, "Labels"), val);
        if (strcmp(key, "opt") == 0)
                return label_match(json_object_get(vol, "Options"), val);
        if (strcmp(key, "dangling") == 0) {
                if (strcmp(val, "true") != 0 && strcmp(val, "false") != 0 && strcmp(val, "1") != 0 &&
                    strcmp(val, "0") != 0)
                        return -1;
                return dangling == (strcmp(val, "true") == 0 || strcmp(val, "1") == 0);
        }
        if (strcmp(key, "until") == 0) {
                if (parse_until(val, now_ns() / 1000000000LL, &t) < 0)
                        return -1;
                (void)time_parse_rfc3339(json_get_str(vol, "CreatedAt"), &created, &ns);
                return created < t;
        }
        return -1;
}

int engine_volume_filters_check(const json_t *filters, cpod_error_t *err)
{
        static const char *const keys[] = { "name", "driver",   "scope", "label", "label!",
                                            "opt",  "dangling", "until", NULL };
        _cleanup_json_ json_t *probe = json_pack("{s:s, s:s, s:s, s:{}, s:{}}", "Name", "", "Driver", "local",
                                                 "CreatedAt", "", "Labels", "Options");
        const char *k;
        json_t *vals, *v;
        size_t i;

        json_object_foreach((json_t *)filters, k, vals) {
                if (!strv_contains((char **)keys, k))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "\"%s\" is an invalid volume filter", k);
                json_array_foreach(vals, i, v)
                        if (!json_is_string(v) || match_one(k, json_string_value(v), probe, false) < 0)
                                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid %s filter \"%s\"", k,
                                                      json_is_string(v) ? json_string_value(v) : "");
        }
        return 0;
}

/* Values of one key are alternatives (OR); keys all have to match (AND), label! excepted: each must hold. */
bool engine_volume_match(const json_t *filters, json_t *vol, bool dangling)
{
        const char *k;
        json_t *vals, *v;
        size_t i;

        json_object_foreach((json_t *)filters, k, vals) {
                bool any = false, neg = strcmp(k, "label!") == 0;
                json_array_foreach(vals, i, v) {
                        int m = match_one(k, json_string_value(v), vol, dangling);
                        if (neg && m != 1)
                                return false;
                        any |= m == 1;
                }
                if (!neg && !any && json_array_size(vals))
                        return false;
        }
        return true;
}
