/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by layer-apply*.c: the applier state and its filesystem steps. */
#ifndef CPOD_STORAGE_LAYER_APPLY_PRIVATE_H
#define CPOD_STORAGE_LAYER_APPLY_PRIVATE_H

#include <stdbool.h>

#include "storage/layer-apply.h"
#include "storage/strmap.h"
#include "storage/tar-reader.h"
#include "storage/tarsplit.h"

struct dir_time {
        char *path; /* cleaned */
        int64_t sec;
        uint32_t nsec;
};

struct applier {
        const struct layer_apply_opts *o;
        int rootfd;
        struct tar_reader *reader;
        struct tarsplit_writer *tarsplit; /* NULL without tarsplit_fd */
        struct strmap written;            /* APPLY mode: paths this layer wrote, and their parents */
        struct dir_time *dirs;            /* directory times, set once the whole layer is written */
        size_t n_dirs;
        char *buf; /* file data copy buffer, LA_BUF bytes */
};

#define LA_BUF (64 * 1024)

/* One tar entry (path already cleaned, not a whiteout) below its parent directory fd. */
int la_create(struct applier *a, const struct tar_entry *e, const char *path, int dirfd, const char *name,
              cpod_error_t *err);
/* The layer root's own entry ("./"): only a directory may describe it. */
int la_root(struct applier *a, const struct tar_entry *e, cpod_error_t *err);
/* Set the deferred directory times. */
int la_dir_times(struct applier *a, cpod_error_t *err);
/* Ownership, mode, xattrs (filtered) and, except for directories, times. fd may be -1 (then dirfd/name). */
int la_set_meta(struct applier *a, const struct tar_entry *e, int fd, int dirfd, const char *name, cpod_error_t *err);

/* Like cpod_error_sys, but failures the layer can cause (ENOTDIR, ELOOP, ...) are CPOD_E_CORRUPT. */
int la_error(cpod_error_t *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* rm -rf of parentfd/name without following symlinks; 0 when absent. Returns -errno. */
int la_remove_tree(int parentfd, const char *name);

/* A whiteout entry: path is cleaned, base starts with ".wh.". */
int la_whiteout(struct applier *a, const struct tar_entry *e, const char *dir, const char *base, cpod_error_t *err);

/* APPLY mode: remember path and its parents as written by this layer. */
void la_mark_written(struct applier *a, const char *path);

#endif
