/* SPDX-License-Identifier: Apache-2.0 */
/* File helpers: every fd is O_CLOEXEC; state files are written temp+rename. */
#ifndef CPOD_UTIL_FILEUTIL_H
#define CPOD_UTIL_FILEUTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

#include <cpod/error.h>

/* Read a whole file (at most max bytes, else EFBIG).  *ret is NUL-terminated. */
int read_file(const char *path, char **ret, size_t *ret_len, size_t max, cpod_error_t *err);
int read_fd(int fd, char **ret, size_t *ret_len, size_t max, cpod_error_t *err);
/* Read a small file, strip the trailing newline; NULL if it cannot be read. */
char *read_line_file(const char *path);
/* Write temp file in the same directory, fsync, rename over path. */
int write_file_atomic(const char *path, const void *data, size_t len, mode_t mode, cpod_error_t *err);
/*
 * temp + rename without fsync: readers see the old or the new content, never
 * a mix.  For volatile state in the runroot, which a reboot clears anyway.
 */
int write_file_replace(const char *path, const void *data, size_t len, mode_t mode, cpod_error_t *err);
/* Plain write (create/truncate). */
int write_file(const char *path, const void *data, size_t len, mode_t mode, cpod_error_t *err);
int write_all(int fd, const void *data, size_t len);
/* mkdir -p; existing directories are fine. */
int mkdir_p(const char *path, mode_t mode, cpod_error_t *err);
/* rm -rf that never crosses mount points (it refuses to descend into another filesystem). */
int rm_rf(const char *path, cpod_error_t *err);
bool path_exists(const char *path);
bool is_dir(const char *path);
/* Search PATH (and the extra dirs, colon separated, first) for an executable; caller frees. */
char *find_executable(const char *name, const char *extra_dirs);
/* Join two path components with exactly one '/'. Caller frees. */
char *path_join(const char *a, const char *b);
/* Bytes of the regular files under dir, without following links or leaving its file system. */
int64_t dir_size(const char *dir);
int fsync_dir(const char *dir);

#endif
