/* SPDX-License-Identifier: Apache-2.0 */
#include "runtime/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <unistd.h>

#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/xalloc.h"

int obj_lock(struct cpod_runtime *rt, const char *id, cpod_error_t *err)
{
        _cleanup_free_ char *dir = path_join(rt->runroot, "locks"), *path = NULL;
        int fd;

        path = xasprintf("%s/%s.lock", dir, id);
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0 && errno == ENOENT) {
                if (mkdir_p(dir, 0700, err) < 0)
                        return cpod_error_rc(err, -EIO);
                fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        }
        if (fd < 0)
                return cpod_error_sys(err, errno, "open lock '%s'", path);
        while (flock(fd, LOCK_EX) < 0)
                if (errno != EINTR) {
                        int r = cpod_error_sys(err, errno, "lock '%s'", path);
                        close(fd);
                        return r;
                }
        return fd;
}

void obj_unlock(int fd)
{
        if (fd >= 0)
                close(fd);
}

void obj_lock_remove(struct cpod_runtime *rt, const char *id)
{
        _cleanup_free_ char *path = xasprintf("%s/locks/%s.lock", rt->runroot, id);

        (void)unlink(path);
}
