/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Streaming tar parser for image layers.
 *
 * Our own parser rather than libarchive because tar-split needs every raw
 * byte consumed (headers, padding, trailer) exactly as it was.  Formats:
 * POSIX ustar and pax ('x' per entry; 'g' global headers are read and
 * ignored), GNU long names ('L', 'K'), base-256 numbers, old GNU and v7
 * headers.  Sparse files ('S', GNU.sparse.*) are rejected.  Everything read
 * from the stream is bounded: names (PATH_MAX), extended header data (1 MiB
 * per entry), xattrs (TAR_MAX_XATTRS, XATTR_SIZE_MAX each).
 *
 * Semantics follow Go's archive/tar where formats leave room (what most
 * image layers are written with): hardlinks, symlinks, devices, fifos and
 * directories carry no data whatever their size field says; an archive may
 * end without the two zero blocks; a zero block followed by a non-zero one
 * is an error.
 *
 * The reader does not interpret paths: tar_entry.path is the archive's name
 * verbatim (it may be absolute or contain ".."); callers must clean it.
 */
#ifndef CPOD_STORAGE_TAR_READER_H
#define CPOD_STORAGE_TAR_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cpod/error.h>

#define TAR_BLOCK 512
#define TAR_MAX_META (1u << 20) /* extended header bytes per entry */
#define TAR_MAX_XATTRS 256

enum tar_type {
        TAR_REG = '0',
        TAR_LINK = '1',
        TAR_SYMLINK = '2',
        TAR_CHAR = '3',
        TAR_BLOCK_DEV = '4',
        TAR_DIR = '5',
        TAR_FIFO = '6',
        /* '\0' (old regular) and '7' (contiguous) are reported as TAR_REG. */
};

struct tar_xattr {
        char *name;  /* NUL-terminated */
        void *value; /* len bytes, may contain NULs */
        size_t len;
};

struct tar_entry {
        char *path;     /* as in the archive */
        char *linkname; /* hardlink or symlink target, "" if none */
        char type;      /* enum tar_type, or any other typeflag byte as found */
        uint32_t mode;  /* permission bits incl. setuid/setgid/sticky (mode & 07777) */
        uint64_t uid, gid;
        uint64_t size; /* bytes of data that follow (0 for header-only types) */
        int64_t mtime_sec;
        uint32_t mtime_nsec;
        uint32_t devmajor, devminor;
        struct tar_xattr *xattrs;
        size_t n_xattrs;
};

/* Source of the tar stream: bytes read, 0 at EOF, < 0 on error (with err set). */
typedef ssize_t (*tar_read_fn)(void *userdata, void *buf, size_t len, cpod_error_t *err);

enum tar_raw_kind {
        TAR_RAW_META,    /* headers, extended headers, padding, end blocks, trailing bytes */
        TAR_RAW_PAYLOAD, /* the data of an entry */
};
/* Sees every byte the reader consumes, in order.  < 0 (with err set) aborts the read. */
typedef int (*tar_observe_fn)(void *userdata, enum tar_raw_kind kind, const void *buf, size_t len, cpod_error_t *err);

struct tar_reader;

struct tar_reader *tar_reader_new(tar_read_fn read, void *userdata);
/* Returns NULL. */
struct tar_reader *tar_reader_free(struct tar_reader *r);
void tar_reader_set_observer(struct tar_reader *r, tar_observe_fn observe, void *userdata);

/*
 * Advance to the next entry, skipping what is left of the current one's data.
 * Returns 1 with *ret_entry set (borrowed, valid until the next call), 0 at
 * the end of the archive, < 0 on error (CPOD_E_CORRUPT for bad input).
 */
int tar_reader_next(struct tar_reader *r, const struct tar_entry **ret_entry, cpod_error_t *err);

/* Read the current entry's data: bytes read, 0 when it is all read, < 0 on error (truncation included). */
ssize_t tar_reader_read(struct tar_reader *r, void *buf, size_t len, cpod_error_t *err);

/*
 * After tar_reader_next() returned 0: consume the rest of the stream to EOF
 * (it goes to the observer as TAR_RAW_META).  Returns bytes drained or < 0.
 */
int64_t tar_reader_drain(struct tar_reader *r, cpod_error_t *err);

/* Total bytes consumed from the source so far. */
uint64_t tar_reader_offset(const struct tar_reader *r);

void tar_entry_clear(struct tar_entry *e);

#endif
