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

#include "storage/driver.h"
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
                return cpod_error_rc(err, -EIO);
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
                return cpod_error_rc(err, -EIO);
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

int store_layer_mount_count(struct store *s, const char *id)
{
        return read_count(s, id);
}

void store_mount_count_forget(struct store *s, const char *id)
{
        _cleanup_free_ char *p = count_path(s, id);

        (void)unlink(p);
}

char *store_layer_mountpoint(struct store *s, const char *id)
{
        return s->drv->mountpoint(s, id);
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
        if (n == 0 || !s->drv->is_mounted(target)) {
                if (n > 0)
                        log_debug("layer %s was unmounted behind our back, mounting again", id);
                n = 0;
                r = s->drv->mount(s, id, target, mount_opts, err);
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
        if (n <= 0 && s->drv->is_mounted(target))
                r = s->drv->unmount(target, err);
        if (r == 0)
                write_count(s, id, n);
        close(lockfd);
        return r;
}
