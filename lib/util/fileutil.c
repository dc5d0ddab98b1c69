/* SPDX-License-Identifier: Apache-2.0 */
#include "util/fileutil.h"

#include <dirent.h>
#include <errno.h>
#include <fts.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

int read_fd(int fd, char **ret, size_t *ret_len, size_t max, cpod_error_t *err)
{
        struct strbuf sb = STRBUF_INIT;

        for (;;) {
                ssize_t n;

                strbuf_grow(&sb, 8192);
                n = read(fd, sb.buf + sb.len, sb.alloc - sb.len - 1);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        strbuf_release(&sb);
                        return cpod_error_sys(err, errno, "read");
                }
                if (n == 0)
                        break;
                sb.len += (size_t)n;
                sb.buf[sb.len] = '\0';
                if (sb.len > max) {
                        strbuf_release(&sb);
                        return cpod_error_set(err, EFBIG, CPOD_E_INVALID, "file larger than %zu bytes", max);
                }
        }
        *ret = strbuf_detach(&sb, ret_len);
        return 0;
}

int read_file(const char *path, char **ret, size_t *ret_len, size_t max, cpod_error_t *err)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);

        if (fd < 0)
                return cpod_error_sys(err, errno, "open '%s'", path);
        if (read_fd(fd, ret, ret_len, max, err) < 0)
                return cpod_error_wrap(err, "read '%s'", path);
        return 0;
}

char *read_line_file(const char *path)
{
        char *buf = NULL;
        size_t len;

        if (read_file(path, &buf, &len, 1 << 20, NULL) < 0)
                return NULL;
        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
                buf[--len] = '\0';
        return buf;
}

int write_all(int fd, const void *data, size_t len)
{
        const char *p = data;

        while (len > 0) {
                ssize_t n = write(fd, p, len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                p += n;
                len -= (size_t)n;
        }
        return 0;
}

int write_file(const char *path, const void *data, size_t len, mode_t mode, cpod_error_t *err)
{
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
        int r;

        if (fd < 0)
                return cpod_error_sys(err, errno, "open '%s'", path);
        r = write_all(fd, data, len);
        if (r < 0)
                return cpod_error_sys(err, -r, "write '%s'", path);
        return 0;
}

int fsync_dir(const char *dir)
{
        _cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        if (fd < 0)
                return -errno;
        return fsync(fd) < 0 ? -errno : 0;
}

/* temp + rename; with sync, the data and the directory entry are on disk before it returns. */
static int replace_file(const char *path, const void *data, size_t len, mode_t mode, bool sync, cpod_error_t *err)
{
        _cleanup_free_ char *tmp = xasprintf("%s.tmp-%d", path, (int)getpid());
        _cleanup_free_ char *dir = xstrdup(path);
        _cleanup_close_ int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
        int r;

        if (fd < 0)
                return cpod_error_sys(err, errno, "open '%s'", tmp);
        r = write_all(fd, data, len);
        if (r == 0 && sync && fsync(fd) < 0)
                r = -errno;
        if (r == 0 && rename(tmp, path) < 0)
                r = -errno;
        if (r < 0) {
                (void)unlink(tmp);
                return cpod_error_sys(err, -r, "write '%s'", path);
        }
        if (sync)
                (void)fsync_dir(dirname(dir));
        return 0;
}

int write_file_atomic(const char *path, const void *data, size_t len, mode_t mode, cpod_error_t *err)
{
        return replace_file(path, data, len, mode, true, err);
}

int write_file_replace(const char *path, const void *data, size_t len, mode_t mode, cpod_error_t *err)
{
        return replace_file(path, data, len, mode, false, err);
}

/* mkdir -p: the common cases (exists, or only the last component missing) cost one or two syscalls. */
int mkdir_p(const char *path, mode_t mode, cpod_error_t *err)
{
        _cleanup_free_ char *p = NULL;

        if (mkdir(path, mode) == 0 || (errno == EEXIST && is_dir(path)))
                return 0;
        if (errno != ENOENT)
                return errno == EEXIST ? cpod_error_set(err, ENOTDIR, CPOD_E_INTERNAL, "'%s' is not a directory", path)
                                       : cpod_error_sys(err, errno, "mkdir '%s'", path);
        p = xstrdup(path);
        for (char *s = p + 1;; s++) {
                if (*s == '/' || *s == '\0') {
                        char c = *s;
                        *s = '\0';
                        if (mkdir(p, mode) < 0 && errno != EEXIST)
                                return cpod_error_sys(err, errno, "mkdir '%s'", p);
                        *s = c;
                        if (c == '\0')
                                break;
                }
        }
        if (!is_dir(path))
                return cpod_error_set(err, ENOTDIR, CPOD_E_INTERNAL, "'%s' is not a directory", path);
        return 0;
}

static int rm_rf_at(int dfd, const char *name, dev_t dev)
{
        struct stat st;
        int fd, r = 0;
        DIR *d;
        struct dirent *de;

        if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? 0 : -errno;
        if (!S_ISDIR(st.st_mode))
                return unlinkat(dfd, name, 0) < 0 && errno != ENOENT ? -errno : 0;
        if (st.st_dev != dev)
                return -EXDEV; /* a mount point: never remove what belongs to another fs */
        fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        d = fdopendir(fd);
        if (!d) {
                close(fd);
                return -errno;
        }
        while ((de = readdir(d))) {
                int q;
                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                        continue;
                q = rm_rf_at(dirfd(d), de->d_name, dev);
                if (q < 0 && r == 0)
                        r = q;
        }
        closedir(d);
        if (r == 0 && unlinkat(dfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
                r = -errno;
        return r;
}

int rm_rf(const char *path, cpod_error_t *err)
{
        struct stat st;
        int r;

        if (lstat(path, &st) < 0)
                return errno == ENOENT ? 0 : cpod_error_sys(err, errno, "stat '%s'", path);
        r = rm_rf_at(AT_FDCWD, path, st.st_dev);
        if (r < 0)
                return cpod_error_sys(err, -r, "remove '%s'", path);
        return 0;
}

bool path_exists(const char *path)
{
        return access(path, F_OK) == 0;
}

bool is_dir(const char *path)
{
        struct stat st;
        return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *path_join(const char *a, const char *b)
{
        size_t la = strlen(a);

        while (la > 1 && a[la - 1] == '/')
                la--;
        while (*b == '/')
                b++;
        return xasprintf("%.*s/%s", (int)la, a, b);
}

char *find_executable(const char *name, const char *extra_dirs)
{
        struct strbuf dirs = STRBUF_INIT;
        char *save = NULL, *res = NULL;

        if (strchr(name, '/'))
                return access(name, X_OK) == 0 ? xstrdup(name) : NULL;
        if (extra_dirs && *extra_dirs)
                strbuf_addf(&dirs, "%s:", extra_dirs);
        strbuf_addstr(&dirs, getenv("PATH") ? getenv("PATH") : "/usr/local/bin:/usr/bin:/bin");
        strbuf_addstr(&dirs, ":/usr/local/sbin:/usr/sbin:/sbin");
        for (char *d = strtok_r(dirs.buf, ":", &save); d && !res; d = strtok_r(NULL, ":", &save)) {
                _cleanup_free_ char *p = path_join(d, name);
                struct stat st;
                if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0)
                        res = TAKE_PTR(p);
        }
        strbuf_release(&dirs);
        return res;
}

int64_t dir_size(const char *dir)
{
        char *paths[] = { (char *)dir, NULL };
        FTS *f = fts_open(paths, FTS_PHYSICAL | FTS_XDEV | FTS_NOCHDIR, NULL);
        FTSENT *e;
        int64_t total = 0;

        while (f && (e = fts_read(f)))
                if (e->fts_info == FTS_F)
                        total += e->fts_statp->st_size;
        if (f)
                fts_close(f);
        return total;
}
