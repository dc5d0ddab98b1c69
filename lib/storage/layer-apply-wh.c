/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OCI whiteouts: ".wh.NAME" hides NAME of the layers below, "DIR/.wh..wh..opq"
 * hides all of DIR's lower content.  Overlay mode records them the way
 * overlayfs reads them; apply mode (vfs, where the target already holds the
 * parent's content) performs them, sparing what this same layer wrote.
 * Whiteout targets are confined like any entry: the parent is resolved in
 * the root, the name is a single component other than "." and "..".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "storage/layer-apply-private.h"
#include "storage/safe-path.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/strv.h"
#include "util/xalloc.h"

#define OPAQUE_MARKER ".wh..wh..opq"
#define META_PREFIX ".wh..wh."
#define OVERLAY_OPAQUE_XATTR "trusted.overlay.opaque"

static char *join(const char *dir, const char *name)
{
        return *dir ? xasprintf("%s/%s", dir, name) : xstrdup(name);
}

static int overlay_whiteout(const struct tar_entry *e, int dirfd, const char *name, cpod_error_t *err)
{
        struct stat st;

        /* Something this layer wrote is already there: it stays. */
        if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
                return 0;
        if (errno != ENOENT)
                return la_error(err, errno, "whiteout \"%s\"", e->path);
        if (mknodat(dirfd, name, S_IFCHR | 0, makedev(0, 0)) < 0)
                return la_error(err, errno, "whiteout \"%s\"", e->path);
        return 0;
}

static int overlay_opaque(const struct tar_entry *e, int dirfd, cpod_error_t *err)
{
        _cleanup_close_ int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        if (fd < 0 || fsetxattr(fd, OVERLAY_OPAQUE_XATTR, "y", 1, 0) < 0)
                return la_error(err, errno, "opaque whiteout \"%s\"", e->path);
        return 0;
}

/* Names in the directory, read before anything is removed. */
static char **list_dir(int dirfd, int *ret_errno)
{
        char **names = NULL;
        struct dirent *de;
        int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *d = fd < 0 ? NULL : fdopendir(fd);

        if (!d) {
                *ret_errno = errno;
                if (fd >= 0)
                        close(fd);
                return NULL;
        }
        while ((de = readdir(d)))
                if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
                        strv_add(&names, de->d_name);
        closedir(d);
        if (!names)
                names = xnew0(char *, 1);
        return names;
}

/* Remove what DIR held before this layer, recursing into directories this layer wrote to. */
static int clear_lower(struct applier *a, int dirfd, const char *dir, cpod_error_t *err)
{
        int e = 0;
        _cleanup_strv_ char **names = list_dir(dirfd, &e);

        if (!names)
                return la_error(err, e, "read directory \"%s\"", dir);
        for (char **n = names; *n; n++) {
                _cleanup_free_ char *path = join(dir, *n);
                _cleanup_close_ int sub = -1;
                int r;

                if (!strmap_contains(&a->written, path)) {
                        r = la_remove_tree(dirfd, *n);
                        if (r < 0)
                                return la_error(err, r, "remove \"%s\"", path);
                        continue;
                }
                sub = openat(dirfd, *n, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (sub >= 0 && clear_lower(a, sub, path, err) < 0)
                        return cpod_error_rc(err, -EIO);
        }
        return 0;
}

static int apply_whiteout(struct applier *a, const char *dir, int dirfd, const char *name, cpod_error_t *err)
{
        _cleanup_free_ char *path = join(dir, name);
        int r;

        if (strmap_contains(&a->written, path))
                return 0;
        r = la_remove_tree(dirfd, name);
        if (r < 0)
                return la_error(err, r, "remove \"%s\"", path);
        return 0;
}

static int invalid(const struct tar_entry *e, cpod_error_t *err)
{
        return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "layer entry \"%s\" is an invalid whiteout", e->path);
}

int la_whiteout(struct applier *a, const struct tar_entry *e, const char *dir, const char *base, cpod_error_t *err)
{
        bool overlay = a->o->whiteouts == LAYER_WHITEOUT_OVERLAY, opaque = strcmp(base, OPAQUE_MARKER) == 0;
        const char *name = base + strlen(".wh.");
        _cleanup_close_ int dirfd = -1;

        if (!opaque && strncmp(base, META_PREFIX, strlen(META_PREFIX)) == 0) {
                log_debug("layer entry \"%s\": unknown whiteout metadata, ignoring", e->path);
                return 0;
        }
        if (!opaque && (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0))
                return invalid(e, err);
        /* Overlay: the whiteout lives in the layer, its directory too.  Apply: nothing to hide if absent. */
        dirfd = safe_open_dir(a->rootfd, dir, overlay);
        if (!overlay && (dirfd == -ENOENT || dirfd == -ENOTDIR))
                return 0;
        if (dirfd < 0)
                return la_error(err, dirfd, "whiteout \"%s\": cannot open its directory", e->path);
        if (opaque)
                return overlay ? overlay_opaque(e, dirfd, err) : clear_lower(a, dirfd, dir, err);
        return overlay ? overlay_whiteout(e, dirfd, name, err) : apply_whiteout(a, dir, dirfd, name, err);
}
