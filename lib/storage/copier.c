/* SPDX-License-Identifier: Apache-2.0 */
/* copier_resolve, copier_get, copier_put: the confined file transfer of `cpod cp` (threat model in copier.h). */
#include "storage/copier.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "storage/layer-apply-private.h"
#include "storage/layer-stream.h"
#include "storage/layer-walk.h"
#include "storage/safe-path.h"
#include "storage/strmap.h"
#include "storage/tar-reader.h"
#include "storage/tar-writer.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/xalloc.h"

#define COPY_BUF (64 * 1024)

/* Where the kernel says an fd is (its path in our mount namespace), or NULL. */
static char *fd_path(int fd)
{
        char link[64], buf[PATH_MAX];
        ssize_t n;

        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        n = readlink(link, buf, sizeof(buf) - 1);
        if (n < 0)
                return NULL;
        buf[n] = '\0';
        return xstrdup(buf);
}

static bool ends_with(const char *s, const char *suffix)
{
        size_t a = strlen(s), b = strlen(suffix);

        return a >= b && strcmp(s + a - b, suffix) == 0;
}

int copier_resolve(int rootfd, const char *path, char **ret_canon, struct stat *ret_st)
{
        _cleanup_close_ int fd = safe_openat(rootfd, path, O_PATH, 0);
        _cleanup_free_ char *root = NULL, *item = NULL;
        struct stat st;
        size_t n;

        if (fd < 0)
                return fd;
        if (fstat(fd, &st) < 0)
                return -errno;
        root = fd_path(rootfd);
        item = fd_path(fd);
        if (!root || !item)
                return -ENOENT;
        /* The canonical name only serves to name the copy: the kernel resolved the path, confined. */
        n = strcmp(root, "/") == 0 ? 0 : strlen(root);
        if (ends_with(item, " (deleted)") || strncmp(item, root, n) != 0 || (item[n] != '/' && item[n] != '\0'))
                return -ENOENT;
        *ret_canon = xstrdup(item[n] == '/' ? item + n + 1 : "");
        *ret_st = st;
        return 0;
}

/* ---- reading: one item as a tar ---- */

struct getter {
        const struct copier_get_opts *o;
        struct tar_writer *w;
        struct strmap inodes; /* "dev:ino" -> first path, for hardlinks */
        char *buf;
};

static bool keep_xattr(const char *name)
{
        if (strncmp(name, "trusted.overlay.", 16) == 0 || strncmp(name, "user.overlay.", 13) == 0)
                return false;
        if (strncmp(name, "security.", 9) == 0)
                return strcmp(name, "security.capability") == 0;
        return true;
}

static int read_xattrs(int dirfd, const char *name, struct tar_entry *e, cpod_error_t *err)
{
        struct tar_xattr *x;
        size_t n, kept = 0;

        if (walk_read_xattrs(dirfd, name, &x, &n, err) < 0)
                return cpod_error_rc(err, -EIO);
        for (size_t i = 0; i < n; i++) {
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

static char type_of(mode_t m)
{
        return S_ISREG(m)    ? TAR_REG
               : S_ISDIR(m)  ? TAR_DIR
               : S_ISLNK(m)  ? TAR_SYMLINK
               : S_ISCHR(m)  ? TAR_CHAR
               : S_ISBLK(m)  ? TAR_BLOCK_DEV
               : S_ISFIFO(m) ? TAR_FIFO
                             : 0;
}

static void check_hardlink(struct getter *g, const struct stat *st, struct tar_entry *e)
{
        char key[64];
        const struct strmap_slot *s;

        if (e->type == TAR_DIR || st->st_nlink < 2)
                return;
        snprintf(key, sizeof(key), "%llu:%llu", (unsigned long long)st->st_dev, (unsigned long long)st->st_ino);
        s = strmap_get(&g->inodes, key);
        if (!s) {
                strmap_put(&g->inodes, key, e->path);
                return;
        }
        free(e->linkname);
        e->linkname = xstrdup(s->value);
        e->type = TAR_LINK;
        e->size = 0;
}

static int copy_data(struct getter *g, int dirfd, const char *name, const char *path, const struct stat *st,
                     cpod_error_t *err)
{
        /* O_NOFOLLOW: never a symlink swapped in; O_NONBLOCK: never hang on a fifo swapped in. */
        _cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        uint64_t left = (uint64_t)st->st_size;
        struct stat now;

        if (fd < 0)
                return cpod_error_sys(err, errno, "open \"%s\"", path);
        if (fstat(fd, &now) < 0 || now.st_ino != st->st_ino || now.st_dev != st->st_dev || !S_ISREG(now.st_mode))
                return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "\"%s\" changed during the copy", path);
        while (left > 0) {
                ssize_t n = read(fd, g->buf, left < COPY_BUF ? (size_t)left : COPY_BUF);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return cpod_error_sys(err, errno, "read \"%s\"", path);
                if (n == 0) /* shrank under us: pad, the header promised st_size bytes */
                        memset(g->buf, 0, (size_t)(n = (ssize_t)(left < COPY_BUF ? left : COPY_BUF)));
                if (tar_writer_data(g->w, g->buf, (size_t)n, err) < 0)
                        return cpod_error_rc(err, -EIO);
                left -= (uint64_t)n;
        }
        return 0;
}

/* One entry: dirfd/name (not followed) stored as `path`. */
static int emit(struct getter *g, int dirfd, const char *name, const char *path, const struct stat *st,
                cpod_error_t *err)
{
        _cleanup_(tar_entry_clear) struct tar_entry e = { 0 };
        char target[PATH_MAX];
        int r;

        e.type = type_of(st->st_mode);
        if (!e.type) {
                log_debug("\"%s\" cannot be stored in a tar, skipping", path);
                return 0;
        }
        e.mode = st->st_mode & 07777;
        e.uid = g->o->chown ? g->o->uid : st->st_uid;
        e.gid = g->o->chown ? g->o->gid : st->st_gid;
        e.mtime_sec = st->st_mtim.tv_sec;
        e.devmajor = major(st->st_rdev);
        e.devminor = minor(st->st_rdev);
        e.path = xasprintf("%s%s", path, e.type == TAR_DIR ? "/" : "");
        e.linkname = xstrdup("");
        if (e.type == TAR_REG)
                e.size = (uint64_t)st->st_size;
        if (e.type == TAR_SYMLINK) {
                ssize_t n = readlinkat(dirfd, name, target, sizeof(target) - 1);
                if (n < 0)
                        return cpod_error_sys(err, errno, "readlink \"%s\"", path);
                target[n] = '\0';
                free(e.linkname);
                e.linkname = xstrdup(target);
        }
        if (read_xattrs(dirfd, name, &e, err) < 0)
                return cpod_error_rc(err, -EIO);
        check_hardlink(g, st, &e);
        r = tar_writer_header(g->w, &e, err);
        if (r == 0 && e.type == TAR_REG)
                r = copy_data(g, dirfd, name, path, st, err);
        return r;
}

static bool excluded(const struct copier_get_opts *o, const char *rel)
{
        for (const char *const *x = o->exclude; x && *x; x++)
                if (strcmp(rel, *x) == 0)
                        return true;
        return false;
}

static int get_cb(void *userdata, const struct walk_entry *we, cpod_error_t *err)
{
        struct getter *g = userdata;
        _cleanup_free_ char *path = NULL;
        int r;

        if (excluded(g->o, we->path))
                return 1; /* neither it nor its children */
        path = g->o->name ? xasprintf("%s/%s", g->o->name, we->path) : xstrdup(we->path);
        r = emit(g, we->dirfd, we->name, path, we->st, err);
        return r < 0 ? r : 0;
}

static int get_item(struct getter *g, int parentfd, const char *name, const struct stat *st, cpod_error_t *err)
{
        _cleanup_close_ int sub = -1;

        if (g->o->name && emit(g, parentfd, name, g->o->name, st, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (!S_ISDIR(st->st_mode))
                return 0;
        sub = openat(parentfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0)
                return cpod_error_sys(err, errno, "open \"%s\"", g->o->name ? g->o->name : name);
        return layer_walk(sub, get_cb, g, err);
}

int copier_get(int rootfd, const char *canon, const struct stat *expect, const struct copier_get_opts *o,
               int (*write)(void *ud, const void *buf, size_t len), void *ud, cpod_error_t *err)
{
        _cleanup_free_ char *split = xstrdup(canon);
        _cleanup_close_ int parentfd = -1;
        struct getter g = { .o = o, .inodes = STRMAP_INIT };
        const char *dir = "", *name = ".";
        struct stat st;
        int r;

        if (*canon)
                name = safe_path_split(split, &dir);
        parentfd = safe_openat(rootfd, dir, O_RDONLY | O_DIRECTORY, 0);
        if (parentfd < 0)
                return cpod_error_sys(err, -parentfd, "open \"/%s\"", dir);
        if (fstatat(parentfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return cpod_error_sys(err, errno, "stat \"/%s\"", canon);
        if (st.st_ino != expect->st_ino || st.st_dev != expect->st_dev)
                return cpod_error_set(err, EAGAIN, CPOD_E_INTERNAL, "\"/%s\" changed during the copy", canon);
        if (!o->name && !S_ISDIR(st.st_mode))
                return cpod_error_set(err, ENOTDIR, CPOD_E_INVALID, "\"/%s\" is not a directory", canon);
        g.w = tar_writer_new(write, ud);
        g.buf = xmalloc(COPY_BUF);
        r = get_item(&g, parentfd, name, &st, err);
        if (r == 0)
                r = tar_writer_finish(g.w, err);
        tar_writer_free(g.w);
        strmap_clear(&g.inodes);
        free(g.buf);
        return r < 0 ? r : 0;
}

/* ---- writing: a tar below a directory ---- */

struct putter {
        const struct copier_put_opts *o;
        struct applier a;
        struct layer_stream *stream;
};

static ssize_t put_read(void *userdata, void *buf, size_t len, cpod_error_t *err)
{
        return layer_stream_read(userdata, buf, len, err);
}

static bool known_type(char t)
{
        return t == TAR_REG || t == TAR_LINK || t == TAR_SYMLINK || t == TAR_CHAR || t == TAR_BLOCK_DEV ||
               t == TAR_DIR || t == TAR_FIFO;
}

/* A cleaned entry name below the destination directory: the path from the root.  NULL: it escapes. */
static char *place(const struct copier_put_opts *o, const char *name)
{
        _cleanup_free_ char *clean = safe_path_clean(name);

        if (!clean)
                return NULL;
        if (!*o->dir)
                return TAKE_PTR(clean);
        return *clean ? xasprintf("%s/%s", o->dir, clean) : xstrdup(o->dir);
}

/* Without --overwrite a directory never replaces a non-directory, nor the reverse. */
static int check_overwrite(const struct putter *p, int dirfd, const char *base, const struct tar_entry *e,
                           cpod_error_t *err)
{
        struct stat st;
        bool want_dir = e->type == TAR_DIR;

        if (p->o->overwrite || fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return 0;
        if (S_ISDIR(st.st_mode) == want_dir)
                return 0;
        return cpod_error_set(err, EEXIST, CPOD_E_INVALID, "cannot overwrite %s \"/%s\" with %s (use --overwrite)",
                              want_dir ? "non-directory" : "directory", e->path,
                              want_dir ? "a directory" : "a non-directory");
}

static int put_entry(struct putter *p, const struct tar_entry *in, cpod_error_t *err)
{
        const struct copier_put_opts *o = p->o;
        _cleanup_free_ char *path = place(o, in->path), *link = NULL, *split = NULL;
        _cleanup_close_ int dirfd = -1;
        struct tar_entry e = *in;
        const char *dir, *base;

        if (!path)
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "tar entry \"%s\" escapes the destination",
                                      in->path);
        if (!known_type(in->type))
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "tar entry \"%s\" has unsupported type 0x%02x",
                                      in->path, (unsigned char)in->type);
        /* The destination directory itself ("./") is left as it is; so are devices when asked. */
        if (strcmp(path, o->dir) == 0 || (o->no_devices && (in->type == TAR_CHAR || in->type == TAR_BLOCK_DEV)))
                return 0;
        if (in->type == TAR_LINK) {
                link = place(o, in->linkname);
                if (!link || strcmp(link, o->dir) == 0)
                        return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT,
                                              "tar entry \"%s\" links to \"%s\" outside the destination", in->path,
                                              in->linkname);
                e.linkname = link;
        }
        if (o->chown) {
                e.uid = o->uid;
                e.gid = o->gid;
        }
        e.path = path;
        split = xstrdup(path);
        base = safe_path_split(split, &dir);
        dirfd = safe_open_dir(o->rootfd, dir, true);
        if (dirfd < 0)
                return cpod_error_sys(err, -dirfd, "\"/%s\": cannot open its parent directory", path);
        if (check_overwrite(p, dirfd, base, &e, err) < 0)
                return cpod_error_rc(err, -EEXIST);
        return la_create(&p->a, &e, path, dirfd, base, err);
}

static int put_all(struct putter *p, cpod_error_t *err)
{
        const struct tar_entry *e;
        size_t n = 0;
        int r;

        while ((r = tar_reader_next(p->a.reader, &e, err)) > 0) {
                n++;
                r = put_entry(p, e, err);
                if (r < 0)
                        return r;
        }
        /* Not a tar at all (rather than a bad entry later on): say so plainly. */
        if (n == 0 && ((r < 0 && err && err->kind == CPOD_E_CORRUPT) || tar_reader_offset(p->a.reader) == 0)) {
                cpod_error_clear(err);
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "source must be a (compressed) tar archive");
        }
        if (r < 0)
                return r;
        return la_dir_times(&p->a, err);
}

int copier_put(const struct copier_put_opts *o, cpod_error_t *err)
{
        struct layer_apply_opts lo = { .target_dirfd = o->rootfd,
                                       .whiteouts = LAYER_WHITEOUT_OVERLAY,
                                       .tarsplit_fd = -1 };
        struct putter p = { .o = o };
        int r;

        /* LAYER_WHITEOUT_OVERLAY: la_create then keeps no record of written paths; names starting
         * with ".wh." are ordinary files here, put_entry never treats them as whiteouts. */
        p.a = (struct applier){ .o = &lo, .rootfd = o->rootfd, .written = STRMAP_INIT };
        p.stream = layer_stream_new(o->read, o->ud, LAYER_DEFAULT_MAX_SIZE);
        p.a.reader = tar_reader_new(put_read, p.stream);
        p.a.buf = xmalloc(LA_BUF);
        r = put_all(&p, err);
        for (size_t i = 0; i < p.a.n_dirs; i++)
                free(p.a.dirs[i].path);
        free(p.a.dirs);
        strmap_clear(&p.a.written);
        tar_reader_free(p.a.reader);
        free(p.a.buf);
        layer_stream_free(p.stream);
        return r < 0 ? r : 0;
}
