/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tar-split: rebuild a layer's original tar, byte for byte, from a small
 * metadata file plus the extracted layer directory.  Needed to push or save
 * an image whose layers must keep their diff IDs without storing each layer
 * twice.
 *
 * Format (cpod's own; one zstd stream holding):
 *
 *   magic    "CPODTS" 0x00 0x01             (8 bytes: name, NUL, version 1)
 *   record*  each starts with one type byte:
 *     'R' <varint n> <n bytes>            raw tar bytes copied verbatim: headers,
 *                                          extended headers, padding, end-of-archive
 *                                          blocks, trailing bytes, and the data of
 *                                          entries that are not in the layer dir
 *     'F' <varint size> <varint n> <n bytes path>
 *                                          `size` data bytes of a regular file, read
 *                                          from `path` (the cleaned relative path the
 *                                          file was extracted to) in the layer dir
 *     'E' <varint total> <varint n> <n bytes diff id>
 *                                          end: the tar's length and "sha256:<hex>"
 *
 *   varint: unsigned LEB128, at most 10 bytes.  Nothing may follow 'E'.
 *
 * The tar is the concatenation of what the records describe.  Assembly
 * verifies the result against the recorded diff ID (and the caller's), so a
 * layer dir that changed since extraction is detected, not silently pushed.
 */
#ifndef CPOD_STORAGE_TARSPLIT_H
#define CPOD_STORAGE_TARSPLIT_H

#include <stddef.h>
#include <stdint.h>

#include <cpod/error.h>

#include "storage/tar-reader.h"

#define TARSPLIT_MAGIC "CPODTS\0\1"
#define TARSPLIT_MAGIC_LEN 8

struct tarsplit_writer;

/* Write tar-split metadata to fd (not owned).  Never NULL. */
struct tarsplit_writer *tarsplit_writer_new(int fd);
struct tarsplit_writer *tarsplit_writer_free(struct tarsplit_writer *w);

/* A tar_observe_fn (userdata = the writer): raw bytes are recorded, file data is skipped when announced. */
int tarsplit_writer_observe(void *w, enum tar_raw_kind kind, const void *buf, size_t len, cpod_error_t *err);

/*
 * Announce that the next `size` payload bytes are the content of `path` in the
 * layer dir.  Payload not announced this way is stored verbatim.
 */
int tarsplit_writer_file(struct tarsplit_writer *w, const char *path, uint64_t size, cpod_error_t *err);

/* Write the end record and flush the compressed stream. */
int tarsplit_writer_finish(struct tarsplit_writer *w, uint64_t total, const char *diff_id, cpod_error_t *err);

/*
 * Rebuild the original tar into write() (it returns < 0, a negated errno, to
 * stop).  Verifies the result hashes to the recorded diff ID and to
 * expect_diff_id (if not NULL): CPOD_E_CORRUPT otherwise.  Files are opened
 * inside layer_dirfd only (RESOLVE_IN_ROOT, last component not followed).
 */
int tarsplit_assemble(int tarsplit_fd, int layer_dirfd, int (*write)(void *userdata, const void *buf, size_t len),
                      void *userdata, const char *expect_diff_id, cpod_error_t *err);

#endif
