/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where `save` writes: a tar archive (to a file, made atomic with a
 * temporary name, or to stdout) or a directory.  Files are written as
 * begin(name, size) + write()* + end().
 */
#ifndef CPOD_IMAGE_SAVE_DEST_H
#define CPOD_IMAGE_SAVE_DEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cpod/error.h>

struct dest;

/* path "-" is stdout (archives only). */
int dest_open(const char *path, bool directory, struct dest **ret, cpod_error_t *err);
/* An archive written to fd (the caller's: not closed). */
struct dest *dest_open_fd(int fd);
/* Finish (commit = true: make the result visible) or abandon; frees d. */
int dest_close(struct dest *d, bool commit, cpod_error_t *err);

int dest_begin(struct dest *d, const char *name, uint64_t size, cpod_error_t *err);
/* Write callback shape: 0 or a negated errno (details kept for dest_error). */
int dest_write(struct dest *d, const void *buf, size_t len);
int dest_end(struct dest *d, cpod_error_t *err);
/* A directory entry in archives (no-op for directories, which are created as needed). */
int dest_dir(struct dest *d, const char *name, cpod_error_t *err);
/* Has a file of this name been written already (shared layers)? */
bool dest_has(struct dest *d, const char *name);
/* Turn the last dest_write failure into an error. */
int dest_error(struct dest *d, cpod_error_t *err);

#endif
