/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The byte pipeline of a layer blob: source → sha256 of the blob →
 * decompression (gzip, zstd or none, from the magic bytes) → sha256 of the
 * tar (the diff ID) → reader.  The uncompressed size is bounded so that a
 * small blob cannot expand without limit (decompression bombs).
 */
#ifndef CPOD_STORAGE_LAYER_STREAM_H
#define CPOD_STORAGE_LAYER_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cpod/error.h>

#include "util/digest.h"

enum layer_compression { LAYER_COMP_NONE, LAYER_COMP_GZIP, LAYER_COMP_ZSTD };

struct layer_stream;

/* read: like layer_apply_opts.read.  max_size: bound on the uncompressed bytes. */
struct layer_stream *layer_stream_new(ssize_t (*read)(void *userdata, void *buf, size_t len), void *userdata,
                                      uint64_t max_size);
struct layer_stream *layer_stream_free(struct layer_stream *s);
/* Decode gzip with zlib even when ISA-L is built in (tests compare the two).  Before the first read. */
void layer_stream_use_zlib(struct layer_stream *s);

/* Uncompressed bytes: > 0 read, 0 at the end of the blob, < 0 on error (err set).  len > 0. */
ssize_t layer_stream_read(struct layer_stream *s, void *buf, size_t len, cpod_error_t *err);

/* After layer_stream_read returned 0: the digests, sizes and detected compression. */
void layer_stream_result(struct layer_stream *s, char compressed_digest[DIGEST_STR_MAX], char diff_id[DIGEST_STR_MAX],
                         uint64_t *ret_compressed_size, uint64_t *ret_size, enum layer_compression *ret_comp);

#endif
