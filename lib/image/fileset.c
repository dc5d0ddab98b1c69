/* SPDX-License-Identifier: Apache-2.0 */
#include "image/fileset.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "storage/layer-stream.h"
#include "storage/tar-reader.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct member {
        char *name;
        off_t offset;
        uint64_t size;
};

struct fileset {
        int fd; /* the directory or the archive */
        bool is_tar;
        struct member *members;
        size_t n;
        char *tmpfile; /* decompressed copy to remove at free */
};

/* Archive member names: "./a/b" and "a/b" are the same; no ".." or absolute names are looked up. */
static const char *clean_name(const char *n)
{
        while (n[0] == '.' && n[1] == '/')
                n += 2;
        while (*n == '/')
                n++;
        return n;
}

static int open_in_dir(int dirfd, const char *name, cpod_error_t *err)
{
        struct open_how how = { .flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
        int fd = (int)syscall(SYS_openat2, dirfd, name, &how, sizeof(how));

        if (fd < 0)
                return cpod_error_sys(err, errno, "open '%s'", name);
        return fd;
}

int fileset_open_dir(const char *path, struct fileset **ret, cpod_error_t *err)
{
        int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct fileset *fs;

        if (fd < 0)
                return cpod_error_sys(err, errno, "open '%s'", path);
        fs = xzalloc(sizeof(*fs));
        fs->fd = fd;
        *ret = fs;
        return 0;
}

static ssize_t fd_read(void *ud, void *buf, size_t len, cpod_error_t *err)
{
        ssize_t n;

        do
                n = read(*(int *)ud, buf, len);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return cpod_error_sys(err, errno, "read archive");
        return n;
}

static int index_tar(struct fileset *fs, const char *what, cpod_error_t *err)
{
        struct tar_reader *tr = tar_reader_new(fd_read, &fs->fd);
        const struct tar_entry *e;
        int r;

        while ((r = tar_reader_next(tr, &e, err)) == 1) {
                if (e->type != TAR_REG)
                        continue;
                if (fs->n >= 100000) {
                        r = cpod_error_set(err, E2BIG, CPOD_E_CORRUPT, "%s: too many members", what);
                        break;
                }
                fs->members = xreallocarray(fs->members, fs->n + 1, sizeof(*fs->members));
                fs->members[fs->n].name = xstrdup(clean_name(e->path));
                fs->members[fs->n].offset = (off_t)tar_reader_offset(tr);
                fs->members[fs->n].size = e->size;
                fs->n++;
        }
        tar_reader_free(tr);
        if (r < 0)
                return cpod_error_wrap(err, "read archive %s", what);
        return 0;
}

int fileset_open_tar(int fd, const char *what, struct fileset **ret, cpod_error_t *err)
{
        struct fileset *fs = xzalloc(sizeof(*fs));

        fs->fd = fd;
        fs->is_tar = true;
        if (index_tar(fs, what, err) < 0) {
                fileset_free(fs);
                return cpod_error_rc(err, -EINVAL);
        }
        *ret = fs;
        return 0;
}

void fileset_free(struct fileset *fs)
{
        if (!fs)
                return;
        if (fs->fd >= 0)
                close(fs->fd);
        for (size_t i = 0; i < fs->n; i++)
                free(fs->members[i].name);
        free(fs->members);
        if (fs->tmpfile)
                (void)unlink(fs->tmpfile);
        free(fs->tmpfile);
        free(fs);
}

static const struct member *find(struct fileset *fs, const char *name)
{
        const char *n = clean_name(name);

        /* Later members win, as when extracting. */
        for (size_t i = fs->n; i-- > 0;)
                if (strcmp(fs->members[i].name, n) == 0)
                        return &fs->members[i];
        return NULL;
}

bool fileset_has(struct fileset *fs, const char *name)
{
        struct stat st;

        if (fs->is_tar)
                return find(fs, name) != NULL;
        {
                cpod_error_t err = CPOD_ERROR_INIT;
                int fd = open_in_dir(fs->fd, name, &err);
                bool ok = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
                if (fd >= 0)
                        close(fd);
                cpod_error_clear(&err);
                return ok;
        }
}

struct member_reader {
        int fd;
        off_t pos, end;
        bool own_fd;
};

static ssize_t member_read(void *ud, void *buf, size_t len)
{
        struct member_reader *m = ud;
        ssize_t n;

        if (m->end >= 0 && (off_t)len > m->end - m->pos)
                len = (size_t)(m->end - m->pos);
        if (len == 0)
                return 0;
        do
                n = m->end >= 0 ? pread(m->fd, buf, len, m->pos) : read(m->fd, buf, len);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return -errno;
        if (n == 0 && m->end >= 0)
                return -EIO; /* archive shorter than its index says */
        m->pos += n;
        return n;
}

static void member_close(void *ud)
{
        struct member_reader *m = ud;

        if (m->own_fd)
                close(m->fd);
        free(m);
}

int fileset_open(struct fileset *fs, const char *name, struct blob *ret, cpod_error_t *err)
{
        struct member_reader *m = xzalloc(sizeof(*m));

        memset(ret, 0, sizeof(*ret));
        if (fs->is_tar) {
                const struct member *mb = find(fs, name);
                if (!mb) {
                        free(m);
                        return cpod_error_set(err, ENOENT, CPOD_E_CORRUPT, "archive has no member \"%s\"", name);
                }
                m->fd = fs->fd;
                m->pos = mb->offset;
                m->end = mb->offset + (off_t)mb->size;
                ret->size = (int64_t)mb->size;
        } else {
                struct stat st;
                int fd = open_in_dir(fs->fd, name, err);
                if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                        free(m);
                        if (fd < 0)
                                return cpod_error_rc(err, -ENOENT);
                        close(fd);
                        return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "\"%s\" is not a file", name);
                }
                m->fd = fd;
                m->own_fd = true;
                m->end = -1;
                ret->size = st.st_size;
        }
        ret->read = member_read;
        ret->close = member_close;
        ret->ud = m;
        return 0;
}

int fileset_read(struct fileset *fs, const char *name, size_t max, char **ret, size_t *ret_len, cpod_error_t *err)
{
        struct blob b;
        int r;

        if (fileset_open(fs, name, &b, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        r = blob_read_all(&b, max, ret, ret_len, err);
        blob_close(&b);
        if (r < 0)
                return cpod_error_wrap(err, "read \"%s\"", name);
        return 0;
}

static ssize_t plain_read(void *ud, void *buf, size_t len)
{
        ssize_t n;

        do
                n = read(*(int *)ud, buf, len);
        while (n < 0 && errno == EINTR);
        return n < 0 ? -errno : n;
}

/* A decompressed archive may not fill the temporary directory's file system (bombs). */
static uint64_t spool_limit(const char *tmpdir)
{
        struct statvfs sv;

        if (statvfs(tmpdir, &sv) < 0)
                return UINT64_MAX;
        return (uint64_t)sv.f_bavail * sv.f_frsize;
}

/* Decompress a gzip/zstd archive into an unlinked-on-free temporary file. */
static int decompress_to_tmp(int fd, const char *tmpdir, char **ret_path, int *ret_fd, cpod_error_t *err)
{
        _cleanup_free_ char *path = xasprintf("%s/cpod-load-XXXXXX", tmpdir);
        _cleanup_close_ int out = mkostemp(path, O_CLOEXEC);
        struct layer_stream *ls;
        char buf[65536];
        ssize_t n;

        if (out < 0)
                return cpod_error_sys(err, errno, "create temporary file in '%s'", tmpdir);
        ls = layer_stream_new(plain_read, &fd, spool_limit(tmpdir));
        while ((n = layer_stream_read(ls, buf, sizeof(buf), err)) > 0)
                if (write_all(out, buf, (size_t)n) < 0) {
                        n = cpod_error_sys(err, errno, "write '%s'", path);
                        break;
                }
        layer_stream_free(ls);
        if (n < 0 || lseek(out, 0, SEEK_SET) < 0) {
                (void)unlink(path);
                return n < 0 ? (int)n : cpod_error_sys(err, errno, "seek");
        }
        *ret_path = TAKE_PTR(path);
        *ret_fd = TAKE_FD(out);
        return 0;
}

int fileset_open_path(const char *path, const char *tmpdir, struct fileset **ret, cpod_error_t *err)
{
        unsigned char magic[4] = { 0 };
        char *tmp = NULL;
        int fd, r;

        if (is_dir(path))
                return fileset_open_dir(path, ret, err);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return cpod_error_sys(err, errno, "open '%s'", path);
        if (lseek(fd, 0, SEEK_CUR) < 0 && errno == ESPIPE) {
                /* stdin or a pipe: the index needs to seek, so spool it (through the decompressor,
                 * which passes plain tar through unchanged). */
                int dfd;
                r = decompress_to_tmp(fd, tmpdir, &tmp, &dfd, err);
                close(fd);
                if (r < 0)
                        return r;
                fd = dfd;
        } else if (pread(fd, magic, 4, 0) == 4 && ((magic[0] == 0x1f && magic[1] == 0x8b) ||
                                                   (magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f))) {
                int dfd;
                r = decompress_to_tmp(fd, tmpdir, &tmp, &dfd, err);
                close(fd);
                if (r < 0)
                        return r;
                fd = dfd;
        }
        r = fileset_open_tar(fd, path, ret, err);
        if (r == 0)
                (*ret)->tmpfile = tmp;
        else if (tmp) {
                (void)unlink(tmp);
                free(tmp);
        }
        return r;
}
