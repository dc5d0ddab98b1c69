/* SPDX-License-Identifier: Apache-2.0 */
#include "storage/layer-walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "storage/safe-path.h"
#include "util/cleanup.h"
#include "util/strv.h"
#include "util/xalloc.h"

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **sorted_names(int dirfd, cpod_error_t *err)
{
        char **names = NULL;
        struct dirent *de;
        int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *d = fd < 0 ? NULL : fdopendir(fd);

        if (!d) {
                cpod_error_sys(err, errno, "read directory");
                if (fd >= 0)
                        close(fd);
                return NULL;
        }
        while ((de = readdir(d)))
                if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
                        strv_add(&names, de->d_name);
        closedir(d);
        if (!names)
                return xnew0(char *, 1);
        qsort(names, strv_length(names), sizeof(char *), cmp_str);
        return names;
}

static int walk_dir(int dirfd, const char *prefix, walk_fn fn, void *userdata, cpod_error_t *err)
{
        _cleanup_strv_ char **names = sorted_names(dirfd, err);

        if (!names)
                return cpod_error_wrap(err, "walk \"%s\"", *prefix ? prefix : ".");
        for (char **n = names; *n; n++) {
                _cleanup_free_ char *path = *prefix ? xasprintf("%s/%s", prefix, *n) : xstrdup(*n);
                _cleanup_close_ int sub = -1;
                struct stat st;
                struct walk_entry we = { dirfd, *n, path, &st };
                int r;

                if (fstatat(dirfd, *n, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                        if (errno == ENOENT)
                                continue; /* gone since the listing */
                        return cpod_error_sys(err, errno, "stat \"%s\"", path);
                }
                r = fn(userdata, &we, err);
                if (r < 0)
                        return r;
                if (r > 0 || !S_ISDIR(st.st_mode))
                        continue;
                sub = openat(dirfd, *n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (sub < 0)
                        return cpod_error_sys(err, errno, "open \"%s\"", path);
                r = walk_dir(sub, path, fn, userdata, err);
                if (r < 0)
                        return r;
        }
        return 0;
}

int layer_walk(int dirfd, walk_fn fn, void *userdata, cpod_error_t *err)
{
        return walk_dir(dirfd, "", fn, userdata, err);
}

void walk_xattrs_free(struct tar_xattr *x, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                free(x[i].name);
                free(x[i].value);
        }
        free(x);
}

static int cmp_xattr(const void *a, const void *b)
{
        return strcmp(((const struct tar_xattr *)a)->name, ((const struct tar_xattr *)b)->name);
}

/* The NUL-separated name list; NULL with *ret_len 0 when there are none. */
static char *list_names(const char *p, ssize_t *ret_len, cpod_error_t *err)
{
        for (;;) {
                ssize_t n = llistxattr(p, NULL, 0);
                char *buf;

                if (n < 0 && (errno == ENOTSUP || errno == ENOENT)) {
                        *ret_len = 0;
                        return NULL;
                }
                if (n < 0) {
                        cpod_error_sys(err, errno, "list xattrs");
                        *ret_len = -1;
                        return NULL;
                }
                buf = xmalloc((size_t)n + 1);
                *ret_len = n ? llistxattr(p, buf, (size_t)n) : 0;
                if (*ret_len >= 0)
                        return buf;
                free(buf);
                if (errno != ERANGE) { /* ERANGE: one was added meanwhile */
                        cpod_error_sys(err, errno, "list xattrs");
                        return NULL;
                }
        }
}

static void *get_value(const char *p, const char *name, size_t *ret_len)
{
        for (;;) {
                ssize_t n = lgetxattr(p, name, NULL, 0);
                void *v;

                if (n < 0)
                        return NULL;
                v = xmalloc((size_t)n + 1);
                n = n ? lgetxattr(p, name, v, (size_t)n) : 0;
                if (n >= 0) {
                        *ret_len = (size_t)n;
                        return v;
                }
                free(v);
                if (errno != ERANGE)
                        return NULL;
        }
}

int walk_read_xattrs(int dirfd, const char *name, struct tar_xattr **ret, size_t *ret_n, cpod_error_t *err)
{
        _cleanup_free_ char *p = safe_proc_path(dirfd, name);
        ssize_t len;
        _cleanup_free_ char *names = list_names(p, &len, err);
        struct tar_xattr *x = NULL;
        size_t n = 0;

        if (len < 0)
                return cpod_error_rc(err, -EIO);
        for (char *k = names; k && k < names + len; k += strlen(k) + 1) {
                size_t vlen;
                void *v = get_value(p, k, &vlen);
                if (!v)
                        continue; /* removed meanwhile, or not readable by us */
                x = xreallocarray(x, n + 1, sizeof(*x));
                x[n++] = (struct tar_xattr){ xstrdup(k), v, vlen };
        }
        if (n)
                qsort(x, n, sizeof(*x), cmp_xattr);
        *ret = x;
        *ret_n = n;
        return 0;
}
