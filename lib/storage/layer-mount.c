/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Mounting layers.  Mount counts live in <runroot>/storage/mounts/<id>
 * under <runroot>/storage/mounts.lock; they are reset when the boot ID
 * changes (mounts do not survive a reboot, and the runroot may not be on
 * tmpfs).  A count > 0 whose mount point is no longer mounted (someone ran
 * umount by hand) is treated as 0.
 */
#include "storage/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/store-internal.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static char *count_path(struct store *s, const char *id)
{
        return xasprintf("%s/mounts/%s", s->runroot, id);
}

/* Take the mounts lock; wipes stale counts after a reboot. */
static int mounts_lock(struct store *s, cpod_error_t *err)
{
        _cleanup_free_ char *lock = path_join(s->runroot, "mounts.lock");
        _cleanup_free_ char *dir = path_join(s->runroot, "mounts"), *bootf = path_join(s->runroot, "boot-id");
        _cleanup_free_ char *boot = NULL, *seen = NULL;
        int fd;

        if (mkdir_p(s->runroot, 0700, err) < 0)
                return -EIO;
        fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0 || flock(fd, LOCK_EX) < 0) {
                int r = cpod_error_sys(err, errno, "lock '%s'", lock);
                if (fd >= 0)
                        close(fd);
                return r;
        }
        boot = read_line_file("/proc/sys/kernel/random/boot_id");
        seen = read_line_file(bootf);
        if (boot && (!seen || strcmp(boot, seen) != 0)) {
                (void)rm_rf(dir, NULL);
                (void)write_file_replace(bootf, boot, strlen(boot), 0600, NULL);
        }
        if (mkdir_p(dir, 0700, err) < 0) {
                close(fd);
                return -EIO;
        }
        return fd;
}

static int read_count(struct store *s, const char *id)
{
        _cleanup_free_ char *p = count_path(s, id), *v = read_line_file(p);

        return v ? atoi(v) : 0;
}

static void write_count(struct store *s, const char *id, int n)
{
        _cleanup_free_ char *p = count_path(s, id), *v = xasprintf("%d", n);

        if (n <= 0)
                (void)unlink(p);
        else
                (void)write_file_replace(p, v, strlen(v), 0600, NULL);
}

static bool is_mountpoint(const char *path)
{
        struct statx stx;

        if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &stx) < 0)
                return false;
        return (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) && (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

int store_layer_mount_count(struct store *s, const char *id)
{
        return read_count(s, id);
}

void store_mount_count_forget(struct store *s, const char *id)
{
        _cleanup_free_ char *p = count_path(s, id);

        (void)unlink(p);
}

static int link_of(struct store *s, const char *id, struct strbuf *out, cpod_error_t *err)
{
        _cleanup_free_ char *f = xasprintf("%s/%s/link", s->driver_dir, id), *name = read_line_file(f);

        if (!name || strlen(name) != 26 || strchr(name, '/'))
                return cpod_error_set(err, EIO, CPOD_E_CORRUPT, "layer %s has no valid short link", id);
        strbuf_addf(out, "%s/l/%s", s->driver_dir, name);
        return 0;
}

/* Build the overlay option string for layer chain[0] (top first). */
static int overlay_options(struct store *s, char **chain, bool rw, const char *extra, struct strbuf *o,
                           cpod_error_t *err)
{
        size_t start = rw ? 1 : 0;

        strbuf_addstr(o, "lowerdir=");
        if (rw && !chain[1]) {
                strbuf_addf(o, "%s/%s/empty", s->driver_dir, chain[0]);
        } else {
                for (size_t i = start; chain[i]; i++) {
                        if (i > start)
                                strbuf_addch(o, ':');
                        if (link_of(s, chain[i], o, err) < 0)
                                return -EIO;
                }
        }
        if (rw)
                strbuf_addf(o, ",upperdir=%s/%s/diff,workdir=%s/%s/work", s->driver_dir, chain[0], s->driver_dir,
                            chain[0]);
        /* Keep upper dirs in plain form: the diff/commit code can't read redirect or metacopy xattrs. */
        strbuf_addstr(o, ",redirect_dir=off,metacopy=off");
        if (extra && *extra)
                strbuf_addf(o, ",%s", extra);
        if (o->len >= 4096)
                return cpod_error_set(err, E2BIG, CPOD_E_NOT_SUPPORTED,
                                      "overlay mount options for layer %s exceed the page size (too many layers)",
                                      chain[0]);
        return 0;
}

/*
 * A volatile mount leaves work/work/incompat/volatile behind, and overlay
 * refuses to mount the layer again while it is there.  Only called when the
 * layer is not mounted: the upper dir is what the last mount left.
 */
static void clear_volatile_marker(struct store *s, const char *id)
{
        _cleanup_free_ char *incompat = xasprintf("%s/%s/work/work/incompat", s->driver_dir, id);

        if (path_exists(incompat))
                (void)rm_rf(incompat, NULL);
}

static int do_overlay_mount(struct store *s, const char *id, const char *target, const char *extra, cpod_error_t *err)
{
        _cleanup_strv_ char **chain = NULL;
        struct strbuf o = STRBUF_INIT;
        struct layer l;
        bool rw;
        int r, e;

        if (store_layer_get(s, id, &l, err) < 0 || store_layer_chain(s, id, &chain, err) < 0)
                return -ENOENT;
        rw = l.kind == LAYER_CONTAINER;
        layer_clear(&l);
        if (mkdir_p(target, 0700, err) < 0)
                return -EIO;
        if (rw && !chain[1]) {
                _cleanup_free_ char *empty = xasprintf("%s/%s/empty", s->driver_dir, id);
                if (mkdir(empty, 0700) < 0 && errno != EEXIST)
                        return cpod_error_sys(err, errno, "mkdir '%s'", empty);
        }
        if (!rw && !chain[1]) {
                /* A single read-only layer: overlay needs two lowers, a bind mount does the job. */
                _cleanup_free_ char *diff = store_layer_diff_dir(s, id);
                if (mount(diff, target, NULL, MS_BIND, NULL) < 0 ||
                    mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NODEV, NULL) < 0) {
                        r = cpod_error_sys(err, errno, "bind mount layer %s", id);
                        (void)umount2(target, MNT_DETACH);
                        return r;
                }
                return 0;
        }
        if (rw)
                clear_volatile_marker(s, id);
        if ((r = overlay_options(s, chain, rw, extra, &o, err)) < 0) {
                strbuf_release(&o);
                return r;
        }
        e = mount("overlay", target, "overlay", MS_NODEV | (rw ? 0 : MS_RDONLY), o.buf) < 0 ? errno : 0;
        strbuf_release(&o);
        /* Kernels before 5.10 don't know "volatile": it is only an optimisation. */
        if (e == EINVAL && extra && strcmp(extra, "volatile") == 0)
                return do_overlay_mount(s, id, target, NULL, err);
        return e ? cpod_error_sys(err, e, "mount overlay for layer %s", id) : 0;
}

char *store_layer_mountpoint(struct store *s, const char *id)
{
        if (strcmp(s->driver, "vfs") == 0)
                return store_layer_diff_dir(s, id);
        return xasprintf("%s/%s/merged", s->driver_dir, id);
}

int store_layer_mount(struct store *s, const char *id, const char *mount_opts, char **ret_path, cpod_error_t *err)
{
        _cleanup_free_ char *target = store_layer_mountpoint(s, id);
        int lockfd, n, r = 0;

        if (!store_layer_exists(s, id))
                return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_OBJECT, "layer not known: %s", id);
        if ((lockfd = mounts_lock(s, err)) < 0)
                return lockfd;
        n = read_count(s, id);
        if (strcmp(s->driver, "overlay") == 0 && (n == 0 || !is_mountpoint(target))) {
                if (n > 0)
                        log_debug("layer %s was unmounted behind our back, mounting again", id);
                n = 0;
                r = do_overlay_mount(s, id, target, mount_opts, err);
        }
        if (r == 0) {
                write_count(s, id, n + 1);
                *ret_path = TAKE_PTR(target);
        }
        close(lockfd);
        return r;
}

int store_layer_unmount(struct store *s, const char *id, bool force, cpod_error_t *err)
{
        _cleanup_free_ char *target = store_layer_mountpoint(s, id);
        int lockfd, n, r = 0;

        if ((lockfd = mounts_lock(s, err)) < 0)
                return lockfd;
        n = read_count(s, id);
        n = force ? 0 : n - 1;
        if (n <= 0 && strcmp(s->driver, "overlay") == 0 && is_mountpoint(target)) {
                if (umount2(target, 0) < 0 && umount2(target, MNT_DETACH) < 0)
                        r = cpod_error_sys(err, errno, "unmount '%s'", target);
        }
        if (r == 0)
                write_count(s, id, n);
        close(lockfd);
        return r;
}
