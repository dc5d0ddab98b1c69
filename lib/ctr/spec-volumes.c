/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A start's named volumes: each is mounted (drivers with options), filled
 * from the image the first time it is used (copy-up, as podman: only into
 * an empty volume, never with nocopy), given the owner and mode of the
 * directory it covers in the image (or the container's user when the
 * image has none there) unless it was created with uid=/gid=, then bound at
 * its destination.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctr/userns.h"
#include "ctr/ctr.h"
#include "ctr/spec.h"
#include "runtime/lock.h"
#include "storage/copier.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"
#include "volume/volume.h"

static bool dir_empty(int fd)
{
        int dup_fd = dup(fd);
        DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
        struct dirent *e;
        bool empty = true;

        if (!d) {
                if (dup_fd >= 0)
                        close(dup_fd);
                return false;
        }
        while (empty && (e = readdir(d)))
                empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
        closedir(d);
        return empty;
}

/* The image's content at dst into the empty volume; the owner and mode of dst for its root. */
static int first_use(const struct vol *v, const char *rootfs, const char *dst, bool copy, const json_t *user,
                     const struct ctr_config *cfg, cpod_error_t *err)
{
        _cleanup_close_ int root = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        _cleanup_close_ int data = open(v->mountpoint, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        _cleanup_free_ char *canon = NULL;
        struct stat st;
        bool have = root >= 0 && copier_resolve(root, dst, &canon, &st) == 0 && S_ISDIR(st.st_mode);
        int r = 0;

        if (root < 0 || data < 0)
                return cpod_error_sys(err, errno, "open %s", root < 0 ? rootfs : v->mountpoint);
        if (have && copy && v->needs_copy_up && dir_empty(data)) {
                struct copier_get_opts go = { 0 };
                struct copier_put_opts po = { .rootfd = data, .dir = "" };
                if ((r = copier_copy(root, canon, &st, &go, &po, err)) < 0)
                        return cpod_error_wrap(err, "copying up %s into volume %s", dst, v->name);
        }
        if (!v->needs_chown)
                return 0;
        if (have && (fchown(data, st.st_uid, st.st_gid) < 0 || fchmod(data, st.st_mode & 07777) < 0))
                return cpod_error_sys(err, errno, "chown volume %s", v->name);
        if (!have && fchown(data, userns_host_id(cfg, false, (uint32_t)json_get_int(user, "uid", 0)),
                            userns_host_id(cfg, true, (uint32_t)json_get_int(user, "gid", 0))) < 0)
                return cpod_error_sys(err, errno, "chown volume %s", v->name);
        return 0;
}

static int prepare(struct cpod_runtime *rt, const struct ctr_config *cfg, const char *name, json_t *spec,
                   const char *dst, bool copy, struct vol *v, cpod_error_t *err)
{
        int lock, r;

        if ((r = vol_get(rt, name, v, err)) < 0)
                return cpod_error_wrap(err, "volume for %s", dst);
        if ((r = vol_mount(rt, v, err)) < 0 || (!v->needs_copy_up && !v->needs_chown))
                return r;
        /* The first use, once: another container starting with it waits. */
        if ((lock = vol_lock(rt, err)) < 0)
                return lock;
        vol_clear(v);
        r = vol_get(rt, name, v, err);
        if (r == 0 && (v->needs_copy_up || v->needs_chown))
                r = first_use(v, json_get_str(json_object_get(spec, "root"), "path"), dst, copy,
                              json_object_get(json_object_get(spec, "process"), "user"), cfg, err);
        if (r == 0 && (v->needs_copy_up || v->needs_chown))
                r = vol_set_flags(rt, name, false, false, err);
        obj_unlock(lock);
        return r;
}

/* The bind's options: the user's (less cpod's own), rbind, rprivate, nosuid and nodev unless given. */
static char *bind_options(char **opts)
{
        struct strbuf sb = STRBUF_INIT;
        bool prop = false, dev = false, suid = false;

        for (char **o = opts; o && *o; o++) {
                if (strv_contains((char *[]){ "z", "Z", "U", "copy", "nocopy", NULL }, *o))
                        continue;
                prop |= strstr(*o, "shared") || strstr(*o, "slave") || strstr(*o, "private") || strstr(*o, "bindable");
                dev |= strcmp(*o, "dev") == 0 || strcmp(*o, "nodev") == 0;
                suid |= strcmp(*o, "suid") == 0 || strcmp(*o, "nosuid") == 0;
                strbuf_addf(&sb, "%s,", *o);
        }
        strbuf_addf(&sb, "%s%srbind%s", suid ? "" : "nosuid,", dev ? "" : "nodev,", prop ? "" : ",rprivate");
        return strbuf_detach(&sb, NULL);
}

static json_t *bind_of(const json_t *e, const char *source)
{
        _cleanup_strv_ char **opts = json_to_strv(json_object_get(e, "Options"));
        _cleanup_free_ char *bo = bind_options(opts);
        _cleanup_strv_ char **bov = strv_split(bo, ",");

        return json_pack("{s:s, s:s, s:s, s:o}", "destination", json_get_str(e, "Dest"), "type", "bind", "source",
                         source, "options", json_strv(bov, -1));
}

void spec_volume_binds(struct cpod_runtime *rt, const struct ctr_config *cfg, json_t *user)
{
        size_t i;
        json_t *e;

        json_array_foreach(cfg->named_volumes, i, e) {
                struct vol v;
                json_t *b;
                if (vol_get(rt, json_get_str(e, "Name"), &v, NULL) < 0)
                        continue;
                b = bind_of(e, v.mountpoint);
                json_object_set_new(b, "name", json_string(v.name));
                json_array_append_new(user, b);
                vol_clear(&v);
        }
}

int spec_volume_mounts(struct cpod_runtime *rt, const struct ctr *c, json_t *spec, json_t *user, cpod_error_t *err)
{
        size_t i;
        json_t *e;

        json_array_foreach(c->cfg.named_volumes, i, e) {
                _cleanup_strv_ char **opts = json_to_strv(json_object_get(e, "Options"));
                struct vol v = { 0 };
                int r = prepare(rt, &c->cfg, json_get_str(e, "Name"), spec, json_get_str(e, "Dest"),
                                !strv_contains(opts, "nocopy"), &v, err);
                if (r == 0 && strv_contains(opts, "U"))
                        r = spec_chown_tree(v.mountpoint, json_object_get(json_object_get(spec, "process"), "user"),
                                            &c->cfg, err);
                if (r == 0)
                        json_array_append_new(user, bind_of(e, v.mountpoint));
                vol_clear(&v);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* chown every entry below dirfd, never following a symlink (a directory swapped for one fails the open). */
static int chown_below(int dirfd, uid_t uid, gid_t gid, int depth)
{
        int fd = dup(dirfd);
        DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        struct dirent *e;
        int r = 0;

        if (!d) {
                if (fd >= 0)
                        close(fd);
                return -errno;
        }
        if (depth > 512)
                r = -ELOOP;
        while (r == 0 && (e = readdir(d))) {
                int sub;
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                        continue;
                if (fchownat(dirfd, e->d_name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0) {
                        r = -errno;
                        break;
                }
                if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN)
                        continue;
                sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (sub < 0 && (errno == ENOTDIR || errno == ELOOP))
                        continue;
                r = sub < 0 ? -errno : chown_below(sub, uid, gid, depth + 1);
                if (sub >= 0)
                        close(sub);
        }
        closedir(d);
        return r;
}

int spec_chown_tree(const char *path, const json_t *user, const struct ctr_config *cfg, cpod_error_t *err)
{
        uid_t uid = userns_host_id(cfg, false, (uint32_t)json_get_int(user, "uid", 0));
        gid_t gid = userns_host_id(cfg, true, (uint32_t)json_get_int(user, "gid", 0));
        _cleanup_close_ int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        struct stat st;
        int r;

        if (fd < 0 || fstat(fd, &st) < 0)
                return cpod_error_sys(err, errno, "chown %s (U)", path);
        if (fchown(fd, uid, gid) < 0)
                return cpod_error_sys(err, errno, "chown %s (U)", path);
        if (S_ISDIR(st.st_mode) && (r = chown_below(fd, uid, gid, 0)) < 0)
                return cpod_error_sys(err, -r, "chown %s (U)", path);
        return 0;
}
