/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Creating one layer entry below an already-resolved parent directory fd.
 * The last component is never followed: files are created with O_EXCL |
 * O_NOFOLLOW after whatever was there is removed, and every later call on
 * the name uses a fd we created or AT_SYMLINK_NOFOLLOW.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "storage/layer-apply-private.h"
#include "storage/safe-path.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/xalloc.h"

int la_error(cpod_error_t *err, int code, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int r;

        code = code < 0 ? -code : code;
        va_start(ap, fmt);
        msg = xvasprintf(fmt, ap);
        va_end(ap);
        r = cpod_error_sys(err, code, "%s", msg);
        /* Resource and I/O failures are ours; the rest comes from what the layer asked for. */
        if (err && code != ENOSPC && code != EDQUOT && code != EIO && code != EROFS && code != ENOMEM &&
            code != EMFILE && code != ENFILE && code != EBADF)
                err->kind = CPOD_E_CORRUPT;
        return r;
}

int la_remove_tree(int parentfd, const char *name)
{
        struct stat st;
        struct dirent *de;
        DIR *d;
        int fd, r = 0;

        if (fstatat(parentfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? 0 : -errno;
        if (!S_ISDIR(st.st_mode))
                return unlinkat(parentfd, name, 0) < 0 && errno != ENOENT ? -errno : 0;
        fd = openat(parentfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        d = fdopendir(fd);
        if (!d) {
                r = -errno;
                close(fd);
                return r;
        }
        while (r == 0 && (de = readdir(d)))
                if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
                        r = la_remove_tree(dirfd(d), de->d_name);
        closedir(d);
        if (r == 0 && unlinkat(parentfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
                r = -errno;
        return r;
}

/* Tar semantics: a directory over a directory merges; anything else replaces what is there. 1: kept a dir. */
static int make_room(int dirfd, const char *name, bool is_dir, const char *path, cpod_error_t *err)
{
        struct stat st;
        int r;

        if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? 0 : la_error(err, errno, "layer entry \"%s\"", path);
        if (S_ISDIR(st.st_mode) && is_dir)
                return 1;
        r = la_remove_tree(dirfd, name);
        if (r < 0)
                return la_error(err, r, "layer entry \"%s\": cannot replace what is there", path);
        return 0;
}

static int copy_data(struct applier *a, int fd, const char *path, cpod_error_t *err)
{
        for (;;) {
                ssize_t n = tar_reader_read(a->reader, a->buf, LA_BUF, err);
                int r;

                if (n <= 0)
                        return (int)n;
                r = write_all(fd, a->buf, (size_t)n);
                if (r < 0)
                        return la_error(err, r, "write \"%s\"", path);
        }
}

static int create_file(struct applier *a, const struct tar_entry *e, const char *path, int dirfd, const char *name,
                       cpod_error_t *err)
{
        _cleanup_close_ int fd = -1;
        int r = make_room(dirfd, name, false, path, err);

        if (r < 0)
                return r;
        fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return la_error(err, errno, "create \"%s\"", path);
        if (a->tarsplit && tarsplit_writer_file(a->tarsplit, path, e->size, err) < 0)
                return cpod_error_rc(err, -EIO);
        r = copy_data(a, fd, path, err);
        if (r < 0)
                return r;
        return la_set_meta(a, e, fd, dirfd, name, err);
}

static void defer_dir_time(struct applier *a, const char *path, const struct tar_entry *e)
{
        a->dirs = xreallocarray(a->dirs, a->n_dirs + 1, sizeof(*a->dirs));
        a->dirs[a->n_dirs++] = (struct dir_time){ xstrdup(path), e->mtime_sec, e->mtime_nsec };
}

static int create_dir(struct applier *a, const struct tar_entry *e, const char *path, int dirfd, const char *name,
                      cpod_error_t *err)
{
        _cleanup_close_ int fd = -1;
        int r = make_room(dirfd, name, true, path, err);

        if (r < 0)
                return r;
        if (r == 0 && mkdirat(dirfd, name, 0700) < 0)
                return la_error(err, errno, "mkdir \"%s\"", path);
        fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return la_error(err, errno, "open \"%s\"", path);
        defer_dir_time(a, path, e);
        return la_set_meta(a, e, fd, dirfd, name, err);
}

int la_root(struct applier *a, const struct tar_entry *e, cpod_error_t *err)
{
        _cleanup_close_ int fd = -1;

        if (e->type != TAR_DIR)
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "layer entry \"%s\" would replace the layer root",
                                      e->path);
        fd = safe_openat(a->rootfd, "", O_RDONLY | O_DIRECTORY, 0);
        if (fd < 0)
                return la_error(err, fd, "open the layer root");
        defer_dir_time(a, "", e);
        return la_set_meta(a, e, fd, -1, NULL, err);
}

static int create_special(const struct tar_entry *e, const char *path, int dirfd, const char *name, cpod_error_t *err)
{
        mode_t type = e->type == TAR_CHAR ? S_IFCHR : e->type == TAR_BLOCK_DEV ? S_IFBLK : S_IFIFO;
        dev_t dev = type == S_IFIFO ? 0 : makedev(e->devmajor, e->devminor);

        if (e->type == TAR_SYMLINK) {
                if (symlinkat(e->linkname, dirfd, name) < 0)
                        return la_error(err, errno, "symlink \"%s\"", path);
                return 0;
        }
        if (mknodat(dirfd, name, type | 0600, dev) < 0)
                return la_error(err, errno, "mknod \"%s\"", path);
        return 0;
}

/* Hardlinks name a file already in the layer: the target is cleaned and resolved inside the root. */
static int create_hardlink(struct applier *a, const struct tar_entry *e, const char *path, int dirfd, const char *name,
                           cpod_error_t *err)
{
        _cleanup_free_ char *target = safe_path_clean(e->linkname);
        _cleanup_close_ int tdirfd = -1;
        const char *tdir, *tname;
        int r;

        if (!target || !*target)
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT,
                                      "layer entry \"%s\" links to \"%s\" outside the layer", e->path, e->linkname);
        if (strcmp(target, path) == 0)
                return 0; /* a link to itself: the file is already there */
        tname = safe_path_split(target, &tdir);
        tdirfd = safe_open_dir(a->rootfd, tdir, false);
        if (tdirfd < 0)
                return la_error(err, tdirfd, "layer entry \"%s\": hardlink target \"%s\"", e->path, e->linkname);
        r = make_room(dirfd, name, false, path, err);
        if (r < 0)
                return r;
        /* flags 0: never follow a symlink at the target; a link to a symlink links the symlink. */
        if (linkat(tdirfd, tname, dirfd, name, 0) < 0)
                return la_error(err, errno, "layer entry \"%s\": hardlink to \"%s\"", e->path, e->linkname);
        return 0;
}

int la_create(struct applier *a, const struct tar_entry *e, const char *path, int dirfd, const char *name,
              cpod_error_t *err)
{
        int r;

        if (e->uid >= UINT32_MAX || e->gid >= UINT32_MAX)
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "layer entry \"%s\" has an invalid owner", e->path);
        la_mark_written(a, path);
        switch (e->type) {
        case TAR_REG:
                return create_file(a, e, path, dirfd, name, err);
        case TAR_DIR:
                return create_dir(a, e, path, dirfd, name, err);
        case TAR_LINK:
                return create_hardlink(a, e, path, dirfd, name, err);
        default:
                r = make_room(dirfd, name, false, path, err);
                if (r >= 0)
                        r = create_special(e, path, dirfd, name, err);
                if (r >= 0)
                        r = la_set_meta(a, e, -1, dirfd, name, err);
                return r;
        }
}

int la_dir_times(struct applier *a, cpod_error_t *err)
{
        for (size_t i = 0; i < a->n_dirs; i++) {
                struct timespec ts[2] = { { a->dirs[i].sec, a->dirs[i].nsec }, { a->dirs[i].sec, a->dirs[i].nsec } };
                _cleanup_close_ int fd =
                        safe_openat(a->rootfd, a->dirs[i].path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);

                /* Replaced or removed by a later entry: its times went with it. */
                if (fd == -ENOENT || fd == -ENOTDIR || fd == -ELOOP)
                        continue;
                if (fd < 0)
                        return la_error(err, fd, "open \"%s\"", a->dirs[i].path);
                if (futimens(fd, ts) < 0)
                        return la_error(err, errno, "set times of \"%s\"", a->dirs[i].path);
        }
        return 0;
}
