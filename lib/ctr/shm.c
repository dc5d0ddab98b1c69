/* SPDX-License-Identifier: Apache-2.0 */
/*
 * /dev/shm that other containers can share.  A container's /dev/shm is
 * normally a tmpfs inside its own mount namespace.  A pod's infra
 * container, and one created with --ipc shareable, get a tmpfs mounted on
 * the host at <bundle>/shm instead and bound at /dev/shm, so members of
 * the pod (sharing its IPC namespace) and containers started with --ipc
 * container:NAME bind the same tmpfs: POSIX shared memory is then shared
 * along with the System V objects of the IPC namespace, as with podman.
 * Bound by path on the host, never through /proc/PID/root, whose symlinks
 * the other container controls.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctr/ctr.h"
#include "ctr/lifecycle.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/human.h"
#include "util/json.h"
#include "util/log.h"
#include "util/xalloc.h"

char *ctr_shm_dir(struct cpod_runtime *rt, const char *id)
{
        _cleanup_free_ char *bundle = ctr_bundle_dir(rt, id);
        return path_join(bundle, "shm");
}

bool ctr_shm_owner(const struct ctr *c)
{
        const char *m = c->cfg.ipc_mode;
        return c->cfg.is_infra || (m && strcmp(m, "shareable") == 0);
}

static bool is_mountpoint(const char *dir)
{
        _cleanup_free_ char *parent = path_join(dir, "..");
        struct stat a, b;

        return stat(dir, &a) == 0 && stat(parent, &b) == 0 && a.st_dev != b.st_dev;
}

char *ctr_shm_size(struct cpod_runtime *rt, const struct ctr *c)
{
        const char *conf = rt->config->shm_size;
        int64_t n;

        if (c->cfg.shm_size && *c->cfg.shm_size)
                return xstrdup(c->cfg.shm_size);
        /* podman reads containers.conf's shm_size in decimal units: its "65536k" is 65536000 bytes */
        if (conf && *conf && parse_size_decimal(conf, &n) == 0)
                return xasprintf("%lld", (long long)n);
        return xstrdup(conf && *conf ? conf : "65536000");
}

int ctr_shm_setup(struct cpod_runtime *rt, const struct ctr *c, cpod_error_t *err)
{
        _cleanup_free_ char *dir = NULL, *opts = NULL, *size = ctr_shm_size(rt, c);

        if (!ctr_shm_owner(c))
                return 0;
        dir = ctr_shm_dir(rt, c->id);
        if (mkdir_p(dir, 0700, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (is_mountpoint(dir))
                return 0;
        opts = xasprintf("mode=1777,size=%s", size);
        if (mount("shm", dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, opts) < 0)
                return cpod_error_sys(err, errno, "mount the shareable /dev/shm of container %s", c->id);
        return 0;
}

void ctr_shm_teardown(struct cpod_runtime *rt, const char *id)
{
        _cleanup_free_ char *dir = ctr_shm_dir(rt, id);

        if (is_mountpoint(dir) && umount2(dir, MNT_DETACH) < 0)
                rt_warn(rt, "unmount %s: %s", dir, strerror(errno));
        (void)rmdir(dir);
}
