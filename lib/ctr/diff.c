/* SPDX-License-Identifier: Apache-2.0 */
/* cpod diff and cpod export: reading a container's rootfs as a change list or a tar. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cpod/container.h>

#include "ctr/ctr.h"
#include "image/image-internal.h"
#include "storage/layer-diff.h"
#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/fileutil.h"

int cpod_ctr_diff(struct cpod_runtime *rt, const char *name, json_t **ret, cpod_error_t *err)
{
        struct ctr c = { 0 };
        struct store *s;
        char id[65];
        int r;

        /* No lock: the rw layer is read like a snapshot, as `ps` reads the DB. */
        if (cpod_ctr_lookup(rt, name, id, err) < 0 || ctr_db_get(rt, id, &c, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        r = rt_store(rt, &s, err);
        if (r == 0)
                r = image_layer_changes(s, c.layer_id, ret, err);
        ctr_clear(&c);
        return r;
}

static int write_fd(void *ud, const void *buf, size_t len)
{
        return write_all(*(int *)ud, buf, len);
}

int cpod_ctr_export(struct cpod_runtime *rt, const char *name, int fd, cpod_error_t *err)
{
        _cleanup_free_ char *mnt = NULL;
        _cleanup_close_ int dirfd = -1;
        char id[65];
        int r;

        if (cpod_ctr_lookup(rt, name, id, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        /* A counted mount: shared with a running container, released after. */
        if (cpod_ctr_mount(rt, id, &mnt, err) < 0)
                return cpod_error_rc(err, -EIO);
        dirfd = open(mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        r = dirfd < 0 ? cpod_error_sys(err, errno, "open \"%s\"", mnt) : dir_tar(dirfd, write_fd, &fd, err);
        (void)cpod_ctr_unmount(rt, id, false, NULL);
        if (r < 0)
                return cpod_error_wrap(err, "exporting container %s", name);
        return 0;
}
