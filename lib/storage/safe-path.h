/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Paths inside a layer or rootfs: lexical cleaning and confined opens.
 *
 * Threat model: the names come from untrusted image layers.  A name must
 * never reach outside the directory it belongs to, neither lexically
 * ("../x") nor through a symlink met on the way ("evil" -> "/" then
 * "evil/x").  Names are first cleaned lexically (safe_path_clean) and then
 * every open goes through openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)
 * relative to the root fd, so symlinks are resolved as if the root were "/".
 * The last component is never followed: callers pass O_NOFOLLOW or use
 * *at() calls with AT_SYMLINK_NOFOLLOW on (parent fd, base name).
 */
#ifndef CPOD_STORAGE_SAFE_PATH_H
#define CPOD_STORAGE_SAFE_PATH_H

#include <stdbool.h>
#include <sys/types.h>

#include <cpod/error.h>

/*
 * Clean a tar path relative to its root: leading '/' and "./" removed, empty
 * and "." components dropped, ".." removes the previous component.  Returns
 * a newly allocated string ("" for the root itself), or NULL when the path
 * climbs above the root or is longer than PATH_MAX.  Caller frees.
 */
char *safe_path_clean(const char *path);

/* Split a cleaned path in place: returns the base name; *ret_dir is the parent ("" for the root). */
const char *safe_path_split(char *cleaned, const char **ret_dir);

/*
 * openat2(rootfd, path, flags, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS), retrying EAGAIN.
 * "" opens the root itself.  O_CLOEXEC is added.  Returns the fd or -errno.
 */
int safe_openat(int rootfd, const char *path, int flags, mode_t mode);

/*
 * Open the directory `dir` (a cleaned path) below rootfd as an O_PATH fd.  With
 * create, missing components are made (mode 0755, root-owned) one by one, each
 * created in its already-resolved parent.  Returns the fd or -errno (ENOTDIR
 * when a component exists and is not a directory).
 */
int safe_open_dir(int rootfd, const char *dir, bool create);

/* "/proc/self/fd/<dirfd>/<name>": a path for calls without an *at() form (lsetxattr...). Caller frees. */
char *safe_proc_path(int dirfd, const char *name);

#endif
