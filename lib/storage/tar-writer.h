/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Deterministic tar writer: ustar headers, with a pax 'x' header before an
 * entry when a field does not fit (long or non-ASCII names, big ids, sizes
 * or times, xattrs as SCHILY.xattr.*).  uname/gname are left empty, times
 * are whole seconds, pax records are in key order: the same tree always
 * gives the same bytes.
 */
#ifndef CPOD_STORAGE_TAR_WRITER_H
#define CPOD_STORAGE_TAR_WRITER_H

#include <stddef.h>

#include <cpod/error.h>

#include "storage/tar-reader.h"

/* Sink: returns 0, or < 0 (a negated errno) to stop. */
typedef int (*tar_write_fn)(void *userdata, const void *buf, size_t len);

struct tar_writer;

struct tar_writer *tar_writer_new(tar_write_fn write, void *userdata);
struct tar_writer *tar_writer_free(struct tar_writer *w);

/*
 * Write an entry's header(s).  e->path is written as is (directories should
 * end in '/'); e->size bytes of data must follow through tar_writer_data for
 * regular files (it must be 0 for other types).  mtime_nsec is ignored.
 */
int tar_writer_header(struct tar_writer *w, const struct tar_entry *e, cpod_error_t *err);
int tar_writer_data(struct tar_writer *w, const void *buf, size_t len, cpod_error_t *err);
/* End the archive: pad the last entry, write the two zero blocks. */
int tar_writer_finish(struct tar_writer *w, cpod_error_t *err);

#endif
