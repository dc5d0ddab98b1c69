/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The file transfer behind `cpod cp`: resolve a path inside a root, write
 * one item of a tree as a tar (copier_get), extract a tar below a
 * directory of a root (copier_put).
 *
 * Threat model (CVE-2019-10152 in podman): the root is a container's
 * rootfs, whose content a container process controls, possibly while we
 * copy.  Nothing outside the root may be read or written, whatever the
 * symlinks in it say or however they change during the copy:
 *  - a path is resolved only by openat2(RESOLVE_IN_ROOT |
 *    RESOLVE_NO_MAGICLINKS) relative to the root fd, so "/etc", "../../.."
 *    and symlinks on the way resolve as if the root were "/";
 *  - reading: once the item is resolved, the tree below it is walked with
 *    fds (every directory opened with O_NOFOLLOW in the one before) and
 *    files are opened O_NOFOLLOW in their parent: a symlink is copied as a
 *    symlink, never followed, and a directory swapped for a symlink during
 *    the walk fails the open instead of leading elsewhere;
 *  - writing: every entry name is cleaned lexically (one climbing above
 *    the target directory is refused), its parent is opened with
 *    RESOLVE_IN_ROOT at the moment it is written, and the last component is
 *    only created with O_EXCL | O_NOFOLLOW or *at() calls that do not
 *    follow it (the layer extraction code, layer-apply-private.h); hardlink
 *    targets resolve in the root too.
 * When the destination is the host, the root is the host directory that
 * receives the copy, so a hostile stream cannot reach beyond it either.
 */
#ifndef CPOD_STORAGE_COPIER_H
#define CPOD_STORAGE_COPIER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <cpod/error.h>

/*
 * Resolve `path` (absolute or relative, both taken from the root) inside
 * rootfd, following symlinks (the last one too) within the root.  Returns
 * 0 with *ret_canon the canonical path below the root (cleaned, no leading
 * '/', "" for the root itself; caller frees) and *ret_st its stat, or
 * -errno (-ENOENT, -ENOTDIR, -ELOOP, ...) without setting err.
 */
int copier_resolve(int rootfd, const char *path, char **ret_canon, struct stat *ret_st);

struct copier_get_opts {
        /* Name of the item in the tar: "NAME" and "NAME/..." entries.  NULL: only the
         * directory's contents, at the top of the tar (podman's "SRC/."). */
        const char *name;
        bool chown; /* give every entry this owner */
        uint32_t uid, gid;
        /* Top-level names of a directory's contents to leave out (NULL-terminated), or NULL. */
        const char *const *exclude;
};

/*
 * Tar of `canon` (a canonical path from copier_resolve) below rootfd.
 * The item is opened again without following its last component and must
 * still be the inode `expect` describes (else "changed during the copy").
 * write returns 0 or a negated errno.
 */
int copier_get(int rootfd, const char *canon, const struct stat *expect, const struct copier_get_opts *o,
               int (*write)(void *ud, const void *buf, size_t len), void *ud, cpod_error_t *err);

struct copier_put_opts {
        int rootfd;      /* nothing is created or changed outside it */
        const char *dir; /* cleaned path below rootfd receiving the entries ("" = the root) */
        bool chown;      /* give every entry this owner, else keep the tar's */
        uint32_t uid, gid;
        bool overwrite;  /* replace a directory by a non-directory and vice versa */
        bool no_devices; /* skip device nodes */
        /* The tar (uncompressed, gzip or zstd): bytes read, 0 at EOF, < 0 (-errno) on error. */
        ssize_t (*read)(void *ud, void *buf, size_t len);
        void *ud;
};

/*
 * Extract the tar.  Returns 0, or < 0: CPOD_E_INVALID with "source must be
 * a (compressed) tar archive" when the stream isn't a tar at all,
 * CPOD_E_CORRUPT for bad entries, CPOD_E_INTERNAL for I/O errors.
 */
int copier_put(const struct copier_put_opts *o, cpod_error_t *err);

/*
 * copier_get of canon below src_rootfd into copier_put(po) (its read and ud are set here): the
 * get runs in a thread, the two joined by a socketpair.
 */
/* copier_get's write and copier_put's read on a file descriptor: ud points to the int fd. */
int copier_fd_write(void *ud, const void *buf, size_t len);
ssize_t copier_fd_read(void *ud, void *buf, size_t len);

int copier_copy(int src_rootfd, const char *canon, const struct stat *st, const struct copier_get_opts *go,
                struct copier_put_opts *po, cpod_error_t *err);

#endif
