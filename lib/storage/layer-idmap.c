/* SPDX-License-Identifier: Apache-2.0 */
#include "storage/layer-idmap.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/mount.h>

#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

int layer_idmap_write(const char *dir, const struct idmap *uids, const struct idmap *gids, cpod_error_t *err)
{
        _cleanup_free_ char *path = path_join(dir, "idmap");
        struct strbuf sb = STRBUF_INIT;
        int r;

        for (size_t i = 0; i < uids->n; i++)
                strbuf_addf(&sb, "uid %u %u %u\n", uids->v[i].ctr, uids->v[i].host, uids->v[i].size);
        for (size_t i = 0; i < gids->n; i++)
                strbuf_addf(&sb, "gid %u %u %u\n", gids->v[i].ctr, gids->v[i].host, gids->v[i].size);
        r = write_file_atomic(path, sb.buf, sb.len, 0600, err);
        strbuf_release(&sb);
        return r;
}

int layer_idmap_read(const char *dir, struct idmap *ret_uids, struct idmap *ret_gids, cpod_error_t *err)
{
        _cleanup_free_ char *path = path_join(dir, "idmap"), *buf = NULL;
        char *save = NULL;
        size_t len;

        memset(ret_uids, 0, sizeof(*ret_uids));
        memset(ret_gids, 0, sizeof(*ret_gids));
        if (!path_exists(path))
                return 0;
        if (read_file(path, &buf, &len, 1 << 16, err) < 0)
                return cpod_error_rc(err, -EIO);
        for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
                char kind[4];
                unsigned c, h, n;
                if (sscanf(l, "%3s %u %u %u", kind, &c, &h, &n) != 4 || (strcmp(kind, "uid") && strcmp(kind, "gid")))
                        return cpod_error_set(err, EIO, CPOD_E_CORRUPT, "bad line in '%s'", path);
                idmap_add(strcmp(kind, "uid") == 0 ? ret_uids : ret_gids, c, h, n);
        }
        return ret_uids->n && ret_gids->n ? 1 : cpod_error_set(err, EIO, CPOD_E_CORRUPT, "incomplete '%s'", path);
}

static int shift_one(const char *path, const struct stat *st, const struct idmap *uids, const struct idmap *gids,
                     cpod_error_t *err)
{
        uint32_t u, g;

        if (!idmap_to_host(uids, st->st_uid, &u) || !idmap_to_host(gids, st->st_gid, &g))
                return cpod_error_set(err, ERANGE, CPOD_E_INVALID,
                                      "'%s' is owned by %u:%u, which the user namespace does not map", path,
                                      (unsigned)st->st_uid, (unsigned)st->st_gid);
        if (lchown(path, u, g) < 0)
                return cpod_error_sys(err, errno, "chown '%s'", path);
        /* chown clears the set-user/group-ID bits: put them back */
        if (!S_ISLNK(st->st_mode) && (st->st_mode & 06000) && chmod(path, st->st_mode & 07777) < 0)
                return cpod_error_sys(err, errno, "chmod '%s'", path);
        return 0;
}

/* nftw passes no user data: the walk is one call deep and the state lives on the caller's stack. */
static __thread struct {
        const struct idmap *uids, *gids;
        cpod_error_t *err;
} walk;

static int walk_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
        (void)type;
        (void)ftw;
        return shift_one(path, st, walk.uids, walk.gids, walk.err) < 0 ? 1 : 0;
}

int layer_idmap_chown(const char *path, bool recursive, const struct idmap *uids, const struct idmap *gids,
                      cpod_error_t *err)
{
        struct stat st;
        int r;

        if (!recursive)
                return lstat(path, &st) < 0 ? cpod_error_sys(err, errno, "stat '%s'", path)
                                            : shift_one(path, &st, uids, gids, err);
        walk.uids = uids;
        walk.gids = gids;
        walk.err = err;
        r = nftw(path, walk_one, 64, FTW_PHYS | FTW_DEPTH);
        if (r < 0)
                return cpod_error_sys(err, errno, "walk '%s'", path);
        return r ? cpod_error_rc(err, -EIO) : 0;
}

static int idmapped_tree(const char *src, int userns_fd, cpod_error_t *err)
{
        struct mount_attr a = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)userns_fd };
        int fd = (int)syscall(SYS_open_tree, AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);

        if (fd < 0)
                return cpod_error_sys(err, errno, "open_tree '%s'", src);
        if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH, &a, sizeof(a)) < 0) {
                int e = errno;
                close(fd);
                return cpod_error_set(err, e, CPOD_E_NOT_SUPPORTED,
                                      "idmapped mounts of '%s' are not supported by this kernel: %s", src, strerror(e));
        }
        return fd;
}

/* The inverse of m: host IDs back to the container's. */
static void inverse(const struct idmap *m, struct idmap *ret)
{
        memset(ret, 0, sizeof(*ret));
        for (size_t i = 0; i < m->n; i++)
                idmap_add(ret, m->v[i].host, m->v[i].ctr, m->v[i].size);
}

int layer_idmap_open_unmapped(const char *dir, cpod_error_t *err)
{
        _cleanup_free_ char *diff = path_join(dir, "diff");
        struct idmap u, g, iu, ig;
        int r = layer_idmap_read(dir, &u, &g, err), ns;

        if (r <= 0) {
                if (r < 0)
                        return r;
                r = open(diff, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                return r < 0 ? cpod_error_sys(err, errno, "open '%s'", diff) : r;
        }
        inverse(&u, &iu);
        inverse(&g, &ig);
        ns = idmap_userns_fd(&iu, &ig, err);
        r = ns < 0 ? ns : idmapped_tree(diff, ns, err);
        if (ns >= 0)
                close(ns);
        idmap_clear(&u);
        idmap_clear(&g);
        idmap_clear(&iu);
        idmap_clear(&ig);
        return r;
}

int layer_idmap_probe(const char *dir, int userns_fd, cpod_error_t *err)
{
        int fd = idmapped_tree(dir, userns_fd, err);

        if (fd < 0)
                return fd;
        close(fd);
        return 0;
}

int layer_idmap_tree(const char *src, int userns_fd, cpod_error_t *err)
{
        return idmapped_tree(src, userns_fd, err);
}
