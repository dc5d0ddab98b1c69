/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tars of changes (commit, image diff layers), of whole trees (export) and
 * the change list of `cpod diff`.
 *
 * Output is deterministic: entries in depth-first, sorted-name order, whole
 * second times, empty uname/gname, ustar with pax only where needed (see
 * tar-writer.h).  Hardlinked files become one regular entry and '1'
 * entries naming it.  Sockets cannot be in a tar and are skipped.  Xattrs
 * are kept except overlay's own (trusted.overlay.*, user.overlay.*) and
 * security.* other than security.capability.
 */
#ifndef CPOD_STORAGE_LAYER_DIFF_H
#define CPOD_STORAGE_LAYER_DIFF_H

#include <stddef.h>

#include <cpod/error.h>

/*
 * Tar of an overlay upper dir (a container's rw layer or a layer diff dir),
 * converting overlay whiteouts (0/0 char devices -> ".wh.NAME" entries,
 * trusted.overlay.opaque=y dirs -> "DIR/.wh..wh..opq") to OCI form.
 * write returns 0 or a negated errno.
 */
int layer_diff_tar(int upper_dirfd, int (*write)(void *ud, const void *buf, size_t len), void *ud, cpod_error_t *err);

/* Tar of a whole directory tree (export of a mounted rootfs), no whiteout conversion. */
int dir_tar(int dirfd, int (*write)(void *ud, const void *buf, size_t len), void *ud, cpod_error_t *err);

/*
 * Change list for `cpod diff`: walk the upper dir and report (kind, "/path"):
 * 'D' for whiteouts, 'C' when the path also exists in the lower dirs
 * (lower_dirfds, top first; overlay's view: whiteouts, opaque dirs and
 * non-directories in higher layers hide what is below), 'A' otherwise.
 * Callbacks come sorted by path (strcmp); a callback < 0 stops the walk and
 * is returned.
 */
int layer_changes(int upper_dirfd, const int *lower_dirfds, size_t n_lower,
                  int (*cb)(void *ud, char kind, const char *path), void *ud, cpod_error_t *err);

#endif
