/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Depth-first walk of a directory tree in sorted name order (strcmp), for
 * deterministic tars and change lists.  Never follows symlinks: every
 * directory is opened with O_NOFOLLOW below the one before.  Also the xattr
 * reading shared by the tar producers.
 */
#ifndef CPOD_STORAGE_LAYER_WALK_H
#define CPOD_STORAGE_LAYER_WALK_H

#include <stdbool.h>
#include <sys/stat.h>

#include <cpod/error.h>

#include "storage/tar-reader.h"

struct walk_entry {
        int dirfd;             /* the parent directory (O_RDONLY) */
        const char *name;      /* in dirfd */
        const char *path;      /* relative to the walk's root, no leading '/' */
        const struct stat *st; /* lstat */
};

/* Called before a directory's children.  > 0 skips a directory's children, < 0 stops. */
typedef int (*walk_fn)(void *userdata, const struct walk_entry *we, cpod_error_t *err);

int layer_walk(int dirfd, walk_fn fn, void *userdata, cpod_error_t *err);

/*
 * The xattrs of dirfd/name (not followed), sorted by name, in *ret (tar_xattr
 * list, caller frees with walk_xattrs_free).  Unsupported filesystems give none.
 */
int walk_read_xattrs(int dirfd, const char *name, struct tar_xattr **ret, size_t *ret_n, cpod_error_t *err);
void walk_xattrs_free(struct tar_xattr *x, size_t n);

#endif
