/* SPDX-License-Identifier: Apache-2.0 */
/* layer_diff_tar and dir_tar: a tree walk feeding the tar writer. */
#include "storage/layer-diff.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "storage/layer-walk.h"
#include "storage/strmap.h"
#include "storage/tar-writer.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/xalloc.h"

#define COPY_BUF (64 * 1024)

struct differ {
        struct tar_writer *w;
        bool overlay;         /* convert overlay whiteouts */
        struct strmap inodes; /* "dev:ino" -> first path, for hardlinks */
        char *buf;
};

static bool is_whiteout(const struct stat *st)
{
        return S_ISCHR(st->st_mode) && st->st_rdev == makedev(0, 0);
}

static bool keep_xattr(const char *name)
{
        if (strncmp(name, "trusted.overlay.", 16) == 0 || strncmp(name, "user.overlay.", 13) == 0)
                return false;
        if (strncmp(name, "security.", 9) == 0)
                return strcmp(name, "security.capability") == 0;
        return true;
}

/* Renamed dirs and metadata-only copy-ups keep their content in a lower layer: no diff can express them. */
static bool overlay_indirect(const char *name)
{
        const char *key = strncmp(name, "trusted.overlay.", 16) == 0 ? name + 16
                          : strncmp(name, "user.overlay.", 13) == 0  ? name + 13
                                                                     : NULL;

        return key && (strcmp(key, "redirect") == 0 || strcmp(key, "metacopy") == 0);
}

/* Reads the xattrs; *ret_opaque tells whether overlay marked the directory opaque. */
static int entry_xattrs(const struct differ *d, const struct walk_entry *we, struct tar_entry *e, bool *ret_opaque,
                        cpod_error_t *err)
{
        struct tar_xattr *x;
        size_t n, kept = 0;

        *ret_opaque = false;
        if (walk_read_xattrs(we->dirfd, we->name, &x, &n, err) < 0)
                return cpod_error_rc(err, -EIO);
        e->xattrs = x; /* freed with e, also on error */
        e->n_xattrs = n;
        for (size_t i = 0; i < n; i++)
                if (d->overlay && overlay_indirect(x[i].name))
                        return cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED,
                                              "\"%s\" has overlay %s data (redirect_dir or metacopy): not supported",
                                              we->path, x[i].name);
        for (size_t i = 0; i < n; i++) {
                if ((strcmp(x[i].name, "trusted.overlay.opaque") == 0 ||
                     strcmp(x[i].name, "user.overlay.opaque") == 0) &&
                    x[i].len == 1 && *(char *)x[i].value == 'y')
                        *ret_opaque = true;
                if (keep_xattr(x[i].name)) {
                        x[kept++] = x[i];
                } else {
                        free(x[i].name);
                        free(x[i].value);
                }
        }
        e->xattrs = x;
        e->n_xattrs = kept;
        return 0;
}

/* The tar entry for a stat; type 0 for what a tar cannot hold. */
static int entry_from_stat(const struct walk_entry *we, struct tar_entry *e, cpod_error_t *err)
{
        const struct stat *st = we->st;
        char target[PATH_MAX];
        ssize_t n;

        *e = (struct tar_entry){ .mode = st->st_mode & 07777,
                                 .uid = st->st_uid,
                                 .gid = st->st_gid,
                                 .mtime_sec = st->st_mtim.tv_sec,
                                 .devmajor = major(st->st_rdev),
                                 .devminor = minor(st->st_rdev) };
        e->type = S_ISREG(st->st_mode)    ? TAR_REG
                  : S_ISDIR(st->st_mode)  ? TAR_DIR
                  : S_ISLNK(st->st_mode)  ? TAR_SYMLINK
                  : S_ISCHR(st->st_mode)  ? TAR_CHAR
                  : S_ISBLK(st->st_mode)  ? TAR_BLOCK_DEV
                  : S_ISFIFO(st->st_mode) ? TAR_FIFO
                                          : 0;
        e->path = xasprintf("%s%s", we->path, e->type == TAR_DIR ? "/" : "");
        e->linkname = xstrdup("");
        if (e->type == TAR_REG)
                e->size = (uint64_t)st->st_size;
        if (e->type != TAR_SYMLINK)
                return 0;
        n = readlinkat(we->dirfd, we->name, target, sizeof(target) - 1);
        if (n < 0)
                return cpod_error_sys(err, errno, "readlink \"%s\"", we->path);
        target[n] = '\0';
        free(e->linkname);
        e->linkname = xstrdup(target);
        return 0;
}

/* A second name of an inode already written becomes a hardlink entry. */
static void check_hardlink(struct differ *d, const struct walk_entry *we, struct tar_entry *e)
{
        char key[64];
        const struct strmap_slot *s;

        if (e->type == TAR_DIR || we->st->st_nlink < 2)
                return;
        snprintf(key, sizeof(key), "%llu:%llu", (unsigned long long)we->st->st_dev, (unsigned long long)we->st->st_ino);
        s = strmap_get(&d->inodes, key);
        if (!s) {
                strmap_put(&d->inodes, key, e->path);
                return;
        }
        free(e->linkname);
        e->linkname = xstrdup(s->value);
        e->type = TAR_LINK;
        e->size = 0;
}

static int copy_file(struct differ *d, const struct walk_entry *we, uint64_t size, cpod_error_t *err)
{
        /* O_NONBLOCK: should a fifo have taken the file's place since the walk saw it, don't hang on it. */
        _cleanup_close_ int fd = openat(we->dirfd, we->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        struct stat st;

        if (fd < 0)
                return cpod_error_sys(err, errno, "open \"%s\"", we->path);
        if (fstat(fd, &st) < 0 || st.st_ino != we->st->st_ino || !S_ISREG(st.st_mode))
                return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "\"%s\" changed while being read", we->path);
        while (size > 0) {
                ssize_t n = read(fd, d->buf, size < COPY_BUF ? (size_t)size : COPY_BUF);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return cpod_error_sys(err, errno, "read \"%s\"", we->path);
                if (n == 0)
                        return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "\"%s\" shrank while being read", we->path);
                if (tar_writer_data(d->w, d->buf, (size_t)n, err) < 0)
                        return cpod_error_rc(err, -EIO);
                size -= (uint64_t)n;
        }
        return 0;
}

/* "DIR/.wh.NAME" or "DIR/.wh..wh..opq": an empty file with the owner, mode and time of what it stands for. */
static int write_marker(struct differ *d, const struct stat *st, const char *path, cpod_error_t *err)
{
        struct tar_entry e = { .path = (char *)path,
                               .linkname = (char *)"",
                               .type = TAR_REG,
                               .mode = st->st_mode & 0777,
                               .uid = st->st_uid,
                               .gid = st->st_gid,
                               .mtime_sec = st->st_mtim.tv_sec };

        return tar_writer_header(d->w, &e, err);
}

static int write_whiteout(struct differ *d, const struct walk_entry *we, cpod_error_t *err)
{
        size_t dirlen = strlen(we->path) - strlen(we->name); /* path ends with name */
        _cleanup_free_ char *path = xasprintf("%.*s.wh.%s", (int)dirlen, we->path, we->name);

        return write_marker(d, we->st, path, err);
}

static int write_entry(struct differ *d, const struct walk_entry *we, cpod_error_t *err)
{
        _cleanup_(tar_entry_clear) struct tar_entry e = { 0 };
        bool opaque = false;
        int r;

        if (d->overlay && is_whiteout(we->st))
                return write_whiteout(d, we, err);
        if (entry_from_stat(we, &e, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (!e.type) {
                log_debug("\"%s\" cannot be stored in a tar, skipping", we->path);
                return 0;
        }
        if (entry_xattrs(d, we, &e, &opaque, err) < 0)
                return cpod_error_rc(err, -EIO);
        check_hardlink(d, we, &e);
        r = tar_writer_header(d->w, &e, err);
        if (r == 0 && e.type == TAR_REG)
                r = copy_file(d, we, e.size, err);
        if (r == 0 && d->overlay && opaque) {
                _cleanup_free_ char *marker = xasprintf("%s/.wh..wh..opq", we->path);
                r = write_marker(d, we->st, marker, err);
        }
        return r;
}

static int walk_cb(void *userdata, const struct walk_entry *we, cpod_error_t *err)
{
        return write_entry(userdata, we, err);
}

static int tar_tree(int dirfd, bool overlay, int (*write)(void *ud, const void *buf, size_t len), void *ud,
                    cpod_error_t *err)
{
        struct differ d = { .overlay = overlay, .inodes = STRMAP_INIT };
        int r;

        d.w = tar_writer_new(write, ud);
        d.buf = xmalloc(COPY_BUF);
        r = layer_walk(dirfd, walk_cb, &d, err);
        if (r == 0)
                r = tar_writer_finish(d.w, err);
        tar_writer_free(d.w);
        strmap_clear(&d.inodes);
        free(d.buf);
        return r;
}

int layer_diff_tar(int upper_dirfd, int (*write)(void *ud, const void *buf, size_t len), void *ud, cpod_error_t *err)
{
        return tar_tree(upper_dirfd, true, write, ud, err);
}

int dir_tar(int dirfd, int (*write)(void *ud, const void *buf, size_t len), void *ud, cpod_error_t *err)
{
        return tar_tree(dirfd, false, write, ud, err);
}
