/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpod cp: podman's path rules on top of the confined copier
 * (lib/storage/copier.h).
 *
 * A container end is its rootfs, mounted through the store for the time of
 * the copy (a counted mount: a running container's own mount is shared, a
 * stopped one is mounted and unmounted again), without holding the
 * container's lock, so a long copy doesn't block stop or cleanup.  For a
 * running container the paths are walked from /proc/PID/root instead: the
 * container's own view, with its volumes, bind mounts and tmpfs mounts (as
 * podman, which copies inside the mount namespace).  That root is checked to
 * be the container's rootfs (same inode) so a recycled PID is never trusted.
 * For a container that is not running, paths are walked across the bind
 * mounts of its last start (cp-mounts.h), so a copy lands where the
 * container will see it: in a volume's host directory, in the /etc files
 * cpod binds; a read-only mount refuses it.
 * Relative container paths start at the container's working directory.
 *
 * Between two ends, copier_copy (lib/storage) moves the tar: a producer
 * thread writes it into a socketpair and the calling thread extracts it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpod/container.h>

#include "ctr/cp-mounts.h"
#include "ctr/ctr.h"
#include "ctr/spec.h"
#include "image/image-internal.h"
#include "storage/copier.h"
#include "storage/safe-path.h"
#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/failpoint.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/xalloc.h"

struct end {
        const char *ctr; /* as the user named it; NULL for the host */
        char id[65];
        char *mnt; /* the mounted rootfs */
        bool mounted;
        int rootfd;
        char *workdir;    /* the container's working directory, for relative paths */
        bool walk_mounts; /* not running: paths are resolved across `mounts` */
        struct cp_mounts mounts;
};

/* The working directory the container's process has: --workdir, else the image's, else "/". */
static char *ctr_workdir(struct cpod_runtime *rt, const struct ctr *c)
{
        struct store *s;
        _cleanup_json_ json_t *imgcfg = NULL;
        const char *wd = c->cfg.working_dir;

        if ((!wd || !*wd) && c->image_id && rt_store(rt, &s, NULL) == 0 &&
            (imgcfg = image_load_config(s, c->image_id, NULL)))
                wd = json_get_str(json_object_get(imgcfg, "config"), "WorkingDir");
        return xstrdup(wd && *wd ? wd : "/");
}

/* A running container's own view of its root (mounts included), if /proc/PID/root is its rootfs. */
static int running_root(const struct ctr *c, const char *mnt)
{
        _cleanup_free_ char *proc = NULL;
        struct stat want, got;
        int fd;

        if ((c->state != CPOD_CTR_RUNNING && c->state != CPOD_CTR_PAUSED) || c->pid <= 0 || stat(mnt, &want) < 0)
                return -1;
        proc = xasprintf("/proc/%d/root", c->pid);
        fd = open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0 && (fstat(fd, &got) < 0 || got.st_dev != want.st_dev || got.st_ino != want.st_ino)) {
                close(fd);
                fd = -1;
        }
        return fd;
}

/* Where the container's paths are walked from, and where relative ones start. */
static int ctr_root(struct cpod_runtime *rt, struct end *e, cpod_error_t *err)
{
        struct ctr c = { 0 };
        int r = 0;

        if (ctr_db_get(rt, e->id, &c, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        e->workdir = ctr_workdir(rt, &c);
        e->rootfd = running_root(&c, e->mnt);
        if (e->rootfd < 0) {
                e->rootfd = open(e->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (e->rootfd < 0)
                        r = cpod_error_sys(err, errno, "open \"%s\"", e->mnt);
                else if ((r = cp_mounts_load(rt, &c, e->rootfd, &e->mounts, err)) == 0)
                        e->walk_mounts = true;
        }
        ctr_clear(&c);
        return r;
}

static int end_open(struct cpod_runtime *rt, struct end *e, const char *ctr, cpod_error_t *err)
{
        e->ctr = ctr;
        e->rootfd = -1;
        if (!ctr) {
                e->rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
                return e->rootfd < 0 ? cpod_error_sys(err, errno, "open \"/\"") : 0;
        }
        if (cpod_ctr_lookup(rt, ctr, e->id, err) < 0) {
                if (err && err->kind == CPOD_E_NO_SUCH_CTR) {
                        cpod_error_clear(err);
                        return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_CTR, "container \"%s\" does not exist", ctr);
                }
                return cpod_error_rc(err, -ENOENT);
        }
        if (cpod_ctr_mount(rt, e->id, &e->mnt, err) < 0)
                return cpod_error_wrap(err, "mount container %s", ctr);
        e->mounted = true;
        return ctr_root(rt, e, err);
}

static void end_close(struct cpod_runtime *rt, struct end *e)
{
        if (e->rootfd >= 0)
                close(e->rootfd);
        if (e->walk_mounts)
                cp_mounts_clear(&e->mounts);
        if (e->mounted)
                (void)cpod_ctr_unmount(rt, e->id, false, NULL);
        free(e->mnt);
        free(e->workdir);
        memset(e, 0, sizeof(*e));
        e->rootfd = -1;
}

/* Relative paths start at the working directory: cpod's on the host, the container's process's in it. */
static char *end_path(const struct end *e, const char *path)
{
        char cwd[4096];

        if (path[0] == '/')
                return xstrdup(path);
        if (e->ctr)
                return xasprintf("%s/%s", e->workdir ? e->workdir : "", path);
        if (!getcwd(cwd, sizeof(cwd)))
                return xstrdup(path);
        return xasprintf("%s/%s", cwd, path);
}

static int not_found(const struct end *e, const char *path, int code, cpod_error_t *err)
{
        if (e->ctr)
                return cpod_error_sys(err, code, "\"%s\" could not be found on container %s", path, e->ctr);
        return cpod_error_sys(err, code, "\"%s\" could not be found on the host", path);
}

static const char *base_of(const char *canon)
{
        const char *slash = strrchr(canon, '/');

        return slash ? slash + 1 : canon;
}

static bool ends_with(const char *s, const char *suffix)
{
        size_t a = strlen(s), b = strlen(suffix);

        return a >= b && strcmp(s + a - b, suffix) == 0;
}

/*
 * Where a path of an end is: resolved by the kernel in the end's root (the host, a running
 * container's own view), or walked across a stopped container's mounts.  -errno, err unset.
 */
static int end_resolve(const struct end *e, const char *p, struct cp_place *ret)
{
        int r;

        if (e->walk_mounts)
                return cp_mounts_resolve(&e->mounts, p, ret);
        *ret = (struct cp_place){ .rootfd = e->rootfd };
        r = copier_resolve(e->rootfd, p, &ret->canon, &ret->st);
        if (r == 0)
                ret->path = xstrdup(ret->canon);
        return r;
}

struct src {
        struct cp_place at;
        bool contents; /* "DIR/.": the directory's contents, not the directory */
};

static int resolve_src(const struct end *e, const char *path, struct src *s, cpod_error_t *err)
{
        _cleanup_free_ char *p = end_path(e, path);
        int r = end_resolve(e, p, &s->at);

        if (r < 0)
                return not_found(e, path, -r, err);
        s->contents = S_ISDIR(s->at.st.st_mode) && (strcmp(path, ".") == 0 || ends_with(path, "/."));
        return 0;
}

/* The name the copy of a source takes in a directory: NULL for its contents or the container's root. */
static const char *src_name(const struct src *s)
{
        return s->contents || !*s->at.path ? NULL : base_of(s->at.path);
}

struct dst {
        int rootfd;     /* borrowed: the root dir is below (the end's, or a mount source's) */
        char *dir;      /* canonical directory receiving the copy */
        char *name;     /* the copy's name in it when it is renamed (new path, or a file replaced) */
        bool is_dir;    /* an existing directory: the copy goes into it */
        bool to_parent; /* the path did not exist: the copy is created as dir/name */
};

static void dst_clear(struct dst *d)
{
        free(d->dir);
        free(d->name);
}

/*
 * On the host, a symlink as the destination's last component is replaced by the copy, as podman
 * does, never written through: it could point anywhere on the host.  (Every other component
 * resolves as before.)  True when p names such a link; then d gets its directory and name.
 */
static bool host_dst_link(const struct end *e, const char *p, struct dst *d)
{
        _cleanup_free_ char *parent = NULL, *pcanon = NULL;
        const char *slash = strrchr(p, '/'), *base = slash ? slash + 1 : p;
        _cleanup_close_ int dirfd = -1;
        struct stat st;

        if (e->ctr || !*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
                return false;
        parent = slash ? xstrndup(p, (size_t)(slash - p)) : xstrdup("");
        if (copier_resolve(e->rootfd, *parent ? parent : "/", &pcanon, &st) < 0 || !S_ISDIR(st.st_mode))
                return false;
        dirfd = openat(e->rootfd, *pcanon ? pcanon : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0 || fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISLNK(st.st_mode))
                return false;
        d->rootfd = e->rootfd;
        d->dir = TAKE_PTR(pcanon);
        d->name = xstrdup(base);
        d->is_dir = false;
        return true;
}

/* A new path: its parent must exist, the copy gets the last component as its name. */
static int dst_new(const struct end *e, const char *p, struct dst *d, bool *ret_ro)
{
        _cleanup_free_ char *parent = NULL;
        struct cp_place at = { 0 };
        const char *slash = strrchr(p, '/'), *base = slash ? slash + 1 : p;

        parent = slash ? xstrndup(p, (size_t)(slash - p)) : xstrdup("");
        if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || end_resolve(e, *parent ? parent : "/", &at) < 0)
                return -ENOENT;
        if (!S_ISDIR(at.st.st_mode)) {
                cp_place_clear(&at);
                return -ENOENT;
        }
        d->rootfd = at.rootfd;
        d->dir = TAKE_PTR(at.canon);
        d->name = xstrdup(base);
        d->is_dir = true;
        d->to_parent = true;
        *ret_ro = at.ro;
        cp_place_clear(&at);
        return 0;
}

/* An existing path: a directory receives the copy, a file is replaced by it. */
static void dst_existing(struct dst *d, struct cp_place *at)
{
        const char *slash = strrchr(at->canon, '/');

        d->rootfd = at->rootfd;
        d->is_dir = S_ISDIR(at->st.st_mode);
        if (d->is_dir) {
                d->dir = TAKE_PTR(at->canon);
                return;
        }
        d->name = xstrdup(base_of(at->canon));
        d->dir = slash ? xstrndup(at->canon, (size_t)(slash - at->canon)) : xstrdup("");
}

/*
 * A stopped container's read-only bind mount is refused here: the kernel refuses a running
 * one's, but here the copy would go to the mount's host source.
 */
static int read_only(const char *path, cpod_error_t *err)
{
        return cpod_error_sys(err, EROFS, "copying to container: \"%s\"", path);
}

static int resolve_dst(const struct end *e, const char *path, bool from_stdin, struct dst *d, cpod_error_t *err)
{
        _cleanup_free_ char *p = end_path(e, path);
        struct cp_place at = { 0 };
        bool ro = false;
        int r;

        if (!from_stdin && !ends_with(path, "/") && host_dst_link(e, p, d))
                return 0;
        r = end_resolve(e, p, &at);
        if (r == 0) {
                ro = at.ro;
                dst_existing(d, &at);
                cp_place_clear(&at);
                if (from_stdin && !d->is_dir)
                        goto not_dir;
        } else if (r != -ENOENT || ends_with(path, "/")) {
                return not_found(e, path, -r, err);
        } else if (from_stdin) {
                goto not_dir;
        } else if (dst_new(e, p, d, &ro) < 0) {
                return not_found(e, path, ENOENT, err);
        }
        return ro ? read_only(path, err) : 0;
not_dir:
        return cpod_error_set(err, ENOTDIR, CPOD_E_INVALID, "destination must be a directory when copying from stdin");
}

/* The primary uid/gid of a container (its --user, else the image's USER), resolved in its rootfs. */
static int ctr_owner(struct cpod_runtime *rt, const struct end *e, uint32_t *uid, uint32_t *gid, cpod_error_t *err)
{
        struct ctr c = { 0 };
        struct store *s;
        _cleanup_json_ json_t *imgcfg = NULL, *proc = json_object();
        _cleanup_free_ char *home = NULL;
        const char *user;
        int r;

        if (ctr_db_get(rt, e->id, &c, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        user = c.cfg.user;
        if ((!user || !*user) && c.image_id && rt_store(rt, &s, NULL) == 0 &&
            (imgcfg = image_load_config(s, c.image_id, NULL)))
                user = json_get_str(json_object_get(imgcfg, "config"), "User");
        r = spec_resolve_user(e->mnt, user && *user ? user : "0", proc, &home, err);
        ctr_clear(&c);
        if (r < 0)
                return r;
        *uid = (uint32_t)json_integer_value(json_path(proc, "user.uid"));
        *gid = (uint32_t)json_integer_value(json_path(proc, "user.gid"));
        return 0;
}

/* ---- moving the tar ---- */

/* ---- the command ---- */

struct cp {
        struct cpod_runtime *rt;
        const struct cpod_cp_opts *o;
        struct end src, dst;
        bool from_stdin, to_stdout;
};

/* /dev, /proc and /sys of a container are never copied out of it (podman's exclusions). */
static const char *const ctr_excludes[] = { "dev", "proc", "sys", NULL };

static void get_opts_for(const struct cp *c, const struct src *s, struct copier_get_opts *go)
{
        if (c->src.ctr) {
                go->chown = true; /* podman: root of the container's user namespace */
                go->uid = go->gid = 0;
                if (!*s->at.path)
                        go->exclude = ctr_excludes;
        }
}

static int put_opts_for(struct cp *c, const struct dst *d, struct copier_put_opts *po, cpod_error_t *err)
{
        po->rootfd = d->rootfd;
        po->overwrite = c->o->overwrite;
        if (!c->dst.ctr) {
                /* Into the host: owned by whoever runs cpod, no device nodes (podman's rules). */
                po->chown = true;
                po->uid = (uint32_t)geteuid();
                po->gid = (uint32_t)getegid();
                po->no_devices = true;
                return 0;
        }
        if (!c->o->archive)
                return 0;
        po->chown = true;
        return ctr_owner(c->rt, &c->dst, &po->uid, &po->gid, err);
}

static int copy_to_stdout(struct cp *c, cpod_error_t *err)
{
        struct src s = { 0 };
        struct copier_get_opts go = { 0 };
        int r = resolve_src(&c->src, c->o->src_path, &s, err);

        if (r == 0) {
                get_opts_for(c, &s, &go);
                go.name = src_name(&s);
                r = failpoint("cp-before-copy", err);
        }
        if (r == 0)
                r = copier_get(s.at.rootfd, s.at.canon, &s.at.st, &go, copier_fd_write, (void *)&c->o->out_fd, err);
        cp_place_clear(&s.at);
        return r;
}

static int copy_from_stdin(struct cp *c, cpod_error_t *err)
{
        struct dst d = { 0 };
        struct copier_put_opts po = { 0 };
        int r = resolve_dst(&c->dst, c->o->dst_path, true, &d, err);

        if (r == 0)
                r = put_opts_for(c, &d, &po, err);
        if (r == 0)
                r = failpoint("cp-before-copy", err);
        if (r == 0) {
                po.dir = d.dir;
                po.read = copier_fd_read;
                po.ud = (void *)&c->o->in_fd;
                r = copier_put(&po, err);
        }
        dst_clear(&d);
        return r;
}

/*
 * On the host, the directory receiving the copy is the root of the
 * extraction: whatever the stream holds, nothing lands outside it.  In a
 * container, the root is the container's: its own symlinks resolve there
 * (in a stopped container's bind mount, the mount's: they stay in it).
 */
static int put_root(struct cp *c, const struct dst *d, struct copier_put_opts *po, int *ret_fd, cpod_error_t *err)
{
        if (c->dst.ctr) {
                po->dir = d->dir;
                return 0;
        }
        *ret_fd = safe_openat(d->rootfd, d->dir, O_RDONLY | O_DIRECTORY, 0);
        if (*ret_fd < 0)
                return cpod_error_sys(err, -*ret_fd, "open \"/%s\"", d->dir);
        po->rootfd = *ret_fd;
        po->dir = "";
        return 0;
}

static int copy_between(struct cp *c, cpod_error_t *err)
{
        struct src s = { 0 };
        struct dst d = { 0 };
        struct copier_get_opts go = { 0 };
        struct copier_put_opts po = { 0 };
        _cleanup_close_ int hostdir = -1;
        int r = resolve_src(&c->src, c->o->src_path, &s, err);

        if (r == 0)
                r = resolve_dst(&c->dst, c->o->dst_path, false, &d, err);
        if (r == 0 && S_ISDIR(s.at.st.st_mode) && !d.is_dir)
                r = cpod_error_set(err, ENOTDIR, CPOD_E_INVALID,
                                   "destination must be a directory when copying a directory");
        if (r == 0)
                r = put_opts_for(c, &d, &po, err);
        if (r == 0) {
                get_opts_for(c, &s, &go);
                if (d.is_dir && !d.to_parent) /* into an existing directory: SRC, or SRC/.'s contents */
                        go.name = src_name(&s);
                else /* a new path, or a file replaced: the copy takes the destination's name */
                        go.name = d.name;
                r = put_root(c, &d, &po, &hostdir, err);
        }
        if (r == 0)
                r = failpoint("cp-before-copy", err);
        if (r == 0 && (r = copier_copy(s.at.rootfd, s.at.canon, &s.at.st, &go, &po, err)) < 0)
                cpod_error_wrap(err, "copying to %s", c->dst.ctr ? "container" : "host");
        cp_place_clear(&s.at);
        dst_clear(&d);
        return r;
}

int cpod_ctr_copy(struct cpod_runtime *rt, const struct cpod_cp_opts *o, cpod_error_t *err)
{
        struct cp c = { .rt = rt, .o = o, .src = { .rootfd = -1 }, .dst = { .rootfd = -1 } };
        int r = 0;

        c.from_stdin = !o->src_ctr && strcmp(o->src_path, "-") == 0;
        c.to_stdout = !o->dst_ctr && strcmp(o->dst_path, "-") == 0;
        if (!o->src_ctr && !o->dst_ctr)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "invalid arguments \"%s\", \"%s\": you must specify at least one container",
                                      o->src_path, o->dst_path);
        if (!c.from_stdin)
                r = end_open(rt, &c.src, o->src_ctr, err);
        if (r == 0 && !c.to_stdout)
                r = end_open(rt, &c.dst, o->dst_ctr, err);
        if (r == 0)
                r = c.to_stdout    ? copy_to_stdout(&c, err)
                    : c.from_stdin ? copy_from_stdin(&c, err)
                                   : copy_between(&c, err);
        end_close(rt, &c.dst);
        end_close(rt, &c.src);
        return r;
}

int cpod_ctr_stat_path(struct cpod_runtime *rt, const char *name, const char *path, struct stat *ret_st,
                       char **ret_path, cpod_error_t *err)
{
        struct end e = { .rootfd = -1 };
        struct cp_place at = { 0 };
        _cleanup_free_ char *p = NULL;
        int r = end_open(rt, &e, name, err);

        if (r == 0) {
                p = end_path(&e, path);
                if ((r = end_resolve(&e, p, &at)) == -ENOENT || r == -ENOTDIR)
                        r = cpod_error_set(err, -r, CPOD_E_NO_SUCH_OBJECT, "\"%s\" could not be found on container %s",
                                           path, name);
                else if (r < 0)
                        r = not_found(&e, path, -r, err);
        }
        if (r == 0) {
                *ret_st = at.st;
                *ret_path = xasprintf("/%s", at.path);
        }
        cp_place_clear(&at);
        end_close(rt, &e);
        return r;
}
