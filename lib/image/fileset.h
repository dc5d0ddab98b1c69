/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Read-only sets of files that local transports read from: a directory
 * (every path resolved inside it with RESOLVE_IN_ROOT, so a symlink in an
 * untrusted layout can't make us read host files) or an uncompressed tar
 * archive on a seekable fd, indexed once (name -> offset, size) so each
 * member is read in place without extracting the archive.
 */
#ifndef CPOD_IMAGE_FILESET_H
#define CPOD_IMAGE_FILESET_H

#include <stdbool.h>
#include <stddef.h>

#include <cpod/error.h>
#include "image/source.h"

struct fileset;

int fileset_open_dir(const char *path, struct fileset **ret, cpod_error_t *err);
/* Index a tar archive (takes ownership of fd; it must be seekable). */
int fileset_open_tar(int fd, const char *what, struct fileset **ret, cpod_error_t *err);
void fileset_free(struct fileset *fs);

bool fileset_has(struct fileset *fs, const char *name);
int fileset_open(struct fileset *fs, const char *name, struct blob *ret, cpod_error_t *err);
int fileset_read(struct fileset *fs, const char *name, size_t max, char **ret, size_t *ret_len, cpod_error_t *err);

/*
 * Open a path for loading: a directory, or a tar file (gzip/zstd-compressed
 * archives are decompressed into a temporary file under tmpdir first).
 */
int fileset_open_path(const char *path, const char *tmpdir, struct fileset **ret, cpod_error_t *err);

#endif
