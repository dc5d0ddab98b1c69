/* SPDX-License-Identifier: Apache-2.0 */
#include "storage/safe-path.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

char *safe_path_clean(const char *path)
{
        struct strbuf out = STRBUF_INIT;
        const char *p = path;

        while (*p) {
                const char *end = strchrnul(p, '/');
                size_t n = (size_t)(end - p);

                if (n == 2 && p[0] == '.' && p[1] == '.') {
                        char *slash;
                        if (out.len == 0) {
                                strbuf_release(&out);
                                return NULL; /* climbs above the root */
                        }
                        slash = strrchr(out.buf, '/');
                        strbuf_setlen(&out, slash ? (size_t)(slash - out.buf) : 0);
                } else if (n > 0 && !(n == 1 && p[0] == '.')) {
                        if (out.len)
                                strbuf_addch(&out, '/');
                        strbuf_add(&out, p, n);
                }
                p = *end ? end + 1 : end;
        }
        if (out.len >= PATH_MAX) {
                strbuf_release(&out);
                return NULL;
        }
        return strbuf_detach(&out, NULL);
}

const char *safe_path_split(char *cleaned, const char **ret_dir)
{
        char *slash = strrchr(cleaned, '/');

        if (!slash) {
                *ret_dir = "";
                return cleaned;
        }
        *slash = '\0';
        *ret_dir = cleaned;
        return slash + 1;
}

int safe_openat(int rootfd, const char *path, int flags, mode_t mode)
{
        struct open_how how = {
                .flags = (uint64_t)(flags | O_CLOEXEC),
                .mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0,
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };

        if (!*path)
                path = ".";
        /* EAGAIN: a concurrent rename or mount raced the lookup; the kernel asks us to retry. */
        for (int i = 0; i < 16; i++) {
                long fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
                if (fd >= 0)
                        return (int)fd;
                if (errno != EAGAIN)
                        return -errno;
        }
        return -EAGAIN;
}

/* The next component of `dir` below `cur`: create it in `cur` (already resolved) if missing. */
static int open_or_make(int rootfd, int cur, const char *prefix, const char *comp)
{
        int fd = safe_openat(rootfd, prefix, O_PATH | O_DIRECTORY, 0);

        if (fd != -ENOENT)
                return fd;
        if (mkdirat(cur, comp, 0755) < 0 && errno != EEXIST)
                return -errno;
        /* Never follow what is there now: EEXIST from a dangling symlink ends here with ENOTDIR. */
        fd = openat(cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return errno == ELOOP ? -ENOTDIR : -errno;
        return fd;
}

int safe_open_dir(int rootfd, const char *dir, bool create)
{
        _cleanup_free_ char *buf = NULL;
        _cleanup_close_ int cur = -1;
        int fd = safe_openat(rootfd, dir, O_PATH | O_DIRECTORY, 0);

        if (fd != -ENOENT || !create)
                return fd;
        buf = xstrdup(dir);
        cur = safe_openat(rootfd, "", O_PATH | O_DIRECTORY, 0);
        if (cur < 0)
                return cur;
        for (char *p = buf;;) {
                char *end = strchrnul(p, '/');
                char saved = *end;
                _cleanup_free_ char *comp = xstrndup(p, (size_t)(end - p));

                *end = '\0';
                fd = open_or_make(rootfd, cur, buf, comp);
                *end = saved;
                if (fd < 0)
                        return fd;
                closep(&cur);
                cur = fd;
                if (!saved)
                        break;
                p = end + 1;
        }
        return TAKE_FD(cur);
}

char *safe_proc_path(int dirfd, const char *name)
{
        return xasprintf("/proc/self/fd/%d/%s", dirfd, name);
}
