/* SPDX-License-Identifier: Apache-2.0 */
#include "image/save-dest.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/tar-writer.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct dest {
        bool directory;
        char *path;    /* final path */
        char *tmp;     /* archive written here, renamed on commit; NULL for stdout */
        bool created;  /* directory created by us (removed if abandoned) */
        int fd;        /* archive fd, or the current file in a directory */
        bool borrowed; /* fd is the caller's (stdout, dest_open_fd): not closed */
        struct tar_writer *tw;
        char **written;
        int last_errno;
        cpod_error_t werr;
};

static int fd_write(void *ud, const void *buf, size_t len)
{
        return write_all(*(int *)ud, buf, len);
}

int dest_open(const char *path, bool directory, struct dest **ret, cpod_error_t *err)
{
        struct dest *d = xzalloc(sizeof(*d));

        d->directory = directory;
        d->path = xstrdup(path);
        d->fd = -1;
        if (directory) {
                d->created = !path_exists(path);
                if (mkdir_p(path, 0755, err) < 0)
                        goto fail;
        } else if (strcmp(path, "-") == 0) {
                d->fd = STDOUT_FILENO;
                d->borrowed = true;
        } else {
                d->tmp = xasprintf("%s.cpod-tmp-XXXXXX", path);
                d->fd = mkostemp(d->tmp, O_CLOEXEC);
                if (d->fd < 0) {
                        cpod_error_sys(err, errno, "create '%s'", path);
                        free(d->tmp);
                        d->tmp = NULL;
                        goto fail;
                }
                (void)fchmod(d->fd, 0644);
        }
        if (!directory)
                d->tw = tar_writer_new(fd_write, &d->fd);
        d->written = xnew0(char *, 1);
        *ret = d;
        return 0;
fail:
        free(d->path);
        free(d);
        return cpod_error_rc(err, -EIO);
}

struct dest *dest_open_fd(int fd)
{
        struct dest *d = xzalloc(sizeof(*d));

        d->path = xasprintf("fd %d", fd);
        d->fd = fd;
        d->borrowed = true;
        d->tw = tar_writer_new(fd_write, &d->fd);
        d->written = xnew0(char *, 1);
        return d;
}

int dest_close(struct dest *d, bool commit, cpod_error_t *err)
{
        int r = 0;

        if (commit && d->tw && tar_writer_finish(d->tw, err) < 0)
                r = -EIO;
        if (r == 0 && commit && d->tmp && (fsync(d->fd) < 0 || rename(d->tmp, d->path) < 0))
                r = cpod_error_sys(err, errno, "write '%s'", d->path);
        if (d->tmp && (r < 0 || !commit))
                (void)unlink(d->tmp);
        if (d->directory && d->created && (r < 0 || !commit))
                (void)rm_rf(d->path, NULL);
        if (d->fd >= 0 && !d->borrowed)
                close(d->fd);
        tar_writer_free(d->tw);
        strv_free(d->written);
        cpod_error_clear(&d->werr);
        free(d->tmp);
        free(d->path);
        free(d);
        return r;
}

bool dest_has(struct dest *d, const char *name)
{
        return strv_contains(d->written, name);
}

int dest_dir(struct dest *d, const char *name, cpod_error_t *err)
{
        struct tar_entry e = { .path = (char *)name, .linkname = "", .type = TAR_DIR, .mode = 0755 };

        if (d->directory)
                return 0;
        return tar_writer_header(d->tw, &e, err);
}

int dest_begin(struct dest *d, const char *name, uint64_t size, cpod_error_t *err)
{
        struct tar_entry e = { .path = (char *)name, .linkname = "", .type = TAR_REG, .mode = 0644, .size = size };

        strv_add(&d->written, name);
        if (!d->directory)
                return tar_writer_header(d->tw, &e, err);
        {
                _cleanup_free_ char *p = path_join(d->path, name), *dir = xstrdup(p);
                if (mkdir_p(dirname(dir), 0755, err) < 0)
                        return cpod_error_rc(err, -EIO);
                d->fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
                if (d->fd < 0)
                        return cpod_error_sys(err, errno, "create '%s'", p);
        }
        return 0;
}

int dest_write(struct dest *d, const void *buf, size_t len)
{
        int r;

        if (d->directory) {
                r = write_all(d->fd, buf, len);
                if (r < 0)
                        d->last_errno = -r;
                return r;
        }
        if (tar_writer_data(d->tw, buf, len, &d->werr) < 0) {
                d->last_errno = d->werr.code ? d->werr.code : EIO;
                return -d->last_errno;
        }
        return 0;
}

int dest_error(struct dest *d, cpod_error_t *err)
{
        if (d->werr.msg) {
                cpod_error_move(err, &d->werr);
                return -err->code;
        }
        return cpod_error_sys(err, d->last_errno ? d->last_errno : EIO, "write '%s'", d->path);
}

int dest_end(struct dest *d, cpod_error_t *err)
{
        if (d->directory && d->fd >= 0) {
                int r = close(d->fd);
                d->fd = -1;
                if (r < 0)
                        return cpod_error_sys(err, errno, "write '%s'", d->path);
        }
        return 0;
}
