/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the tar reader's files: header block decoding and pax records. */
#ifndef CPOD_STORAGE_TAR_PRIVATE_H
#define CPOD_STORAGE_TAR_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/tar-reader.h"

/* Extended information gathered from 'x', 'L' and 'K' headers for the next entry. */
struct tar_meta {
        char *pax_path, *pax_linkpath; /* NULL when unset */
        char *gnu_name, *gnu_link;
        bool has_size, has_uid, has_gid, has_mtime;
        uint64_t size, uid, gid;
        int64_t mtime_sec;
        uint32_t mtime_nsec;
        struct tar_xattr *xattrs;
        size_t n_xattrs;
        size_t bytes; /* extended header data read for this entry so far */
};

void tar_meta_clear(struct tar_meta *m);

/* A decoded header block (strings NUL-terminated, numbers checked). */
struct tar_header {
        char name[256 + 2]; /* prefix + '/' + name */
        char linkname[101];
        char type;
        uint64_t mode, uid, gid, size;
        int64_t mtime;
        uint32_t devmajor, devminor;
};

bool tar_block_is_zero(const unsigned char *blk);
/* Verify the checksum and decode; CPOD_E_CORRUPT on a bad block. */
int tar_header_decode(const unsigned char *blk, struct tar_header *h, cpod_error_t *err);

/* Parse the records of a pax 'x' header into m; CPOD_E_CORRUPT on malformed or unsupported records. */
int tar_pax_parse(const char *data, size_t len, struct tar_meta *m, cpod_error_t *err);

/* Add or replace an xattr (takes ownership of name and value). */
int tar_xattr_set(struct tar_xattr **xattrs, size_t *n, char *name, void *value, size_t len, cpod_error_t *err);

#endif
