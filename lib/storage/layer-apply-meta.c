/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Ownership, mode, xattrs and times of an extracted entry.  Order matters:
 * chown clears setuid/setgid and security.capability, so it comes first,
 * then chmod, then xattrs; times last (xattrs change only ctime).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "storage/layer-apply-private.h"
#include "storage/safe-path.h"
#include "util/cleanup.h"
#include "util/log.h"

/*
 * Xattrs an image must not set: overlay's own metadata (trusted.overlay.*, and
 * user.overlay.* which rootless overlay reads with userxattr) would let a layer
 * forge opaque dirs, redirects or metacopy; security.* are labels for the host's
 * LSMs, except file capabilities which images legitimately carry.
 */
static bool xattr_allowed(const char *name)
{
        if (strncmp(name, "trusted.overlay.", 16) == 0 || strncmp(name, "user.overlay.", 13) == 0)
                return false;
        if (strncmp(name, "security.", 9) == 0)
                return strcmp(name, "security.capability") == 0;
        return true;
}

static int set_xattr(const struct tar_entry *e, const struct tar_xattr *x, int fd, int dirfd, const char *name,
                     cpod_error_t *err)
{
        int r;

        if (fd >= 0) {
                r = fsetxattr(fd, x->name, x->value, x->len, 0);
        } else {
                /* No lsetxattrat(): the parent fd's /proc path, last component not followed. */
                _cleanup_free_ char *p = safe_proc_path(dirfd, name);
                r = lsetxattr(p, x->name, x->value, x->len, 0);
        }
        if (r == 0)
                return 0;
        /* Unsupported here (filesystem, or user.* on a symlink or device): not fatal. */
        if (errno == ENOTSUP || (errno == EPERM && fd < 0)) {
                log_debug("layer entry \"%s\": xattr \"%s\" not supported, ignoring", e->path, x->name);
                return 0;
        }
        return la_error(err, errno, "layer entry \"%s\": set xattr \"%s\"", e->path, x->name);
}

static int set_xattrs(const struct tar_entry *e, int fd, int dirfd, const char *name, cpod_error_t *err)
{
        for (size_t i = 0; i < e->n_xattrs; i++) {
                const struct tar_xattr *x = &e->xattrs[i];
                int r;

                if (!xattr_allowed(x->name)) {
                        log_debug("layer entry \"%s\": dropping xattr \"%s\"", e->path, x->name);
                        continue;
                }
                r = set_xattr(e, x, fd, dirfd, name, err);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int set_owner_mode(const struct tar_entry *e, int fd, int dirfd, const char *name, cpod_error_t *err)
{
        uid_t uid = (uid_t)e->uid;
        gid_t gid = (gid_t)e->gid;
        mode_t mode = (mode_t)e->mode;

        if (fd >= 0 ? fchown(fd, uid, gid) : fchownat(dirfd, name, uid, gid, AT_SYMLINK_NOFOLLOW))
                return la_error(err, errno, "layer entry \"%s\": chown", e->path);
        if (e->type == TAR_SYMLINK)
                return 0; /* Linux symlinks have no mode */
        if (fd >= 0 ? fchmod(fd, mode) : fchmodat(dirfd, name, mode, AT_SYMLINK_NOFOLLOW))
                return la_error(err, errno, "layer entry \"%s\": chmod", e->path);
        return 0;
}

int la_set_meta(struct applier *a, const struct tar_entry *e, int fd, int dirfd, const char *name, cpod_error_t *err)
{
        struct timespec ts[2] = { { e->mtime_sec, e->mtime_nsec }, { e->mtime_sec, e->mtime_nsec } };
        int r = set_owner_mode(e, fd, dirfd, name, err);

        (void)a;
        if (r == 0)
                r = set_xattrs(e, fd, dirfd, name, err);
        if (r < 0 || e->type == TAR_DIR)
                return r; /* directories: once the whole layer is written */
        if (fd >= 0 ? futimens(fd, ts) : utimensat(dirfd, name, ts, AT_SYMLINK_NOFOLLOW))
                return la_error(err, errno, "layer entry \"%s\": set times", e->path);
        return 0;
}
