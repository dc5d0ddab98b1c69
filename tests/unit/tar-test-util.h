/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers for test-tar: a raw tar builder, in-memory sources, temp dirs, tree signatures. */
#ifndef CPOD_TESTS_TAR_TEST_UTIL_H
#define CPOD_TESTS_TAR_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "storage/layer-apply.h"
#include "util/strbuf.h"

enum th_format { TH_USTAR, TH_GNU, TH_V7 };

/* One raw header; zero values are sensible defaults (mode 0644, mtime 1000000000). */
struct th {
        const char *name;
        char type; /* '0' if 0 */
        unsigned mode;
        unsigned long long uid, gid, size;
        long long mtime;
        const char *link;
        const char *prefix;
        unsigned devmajor, devminor;
        enum th_format format;
        bool base256_uid; /* uid as GNU base-256 */
        bool bad_sum;
        bool nul_type; /* typeflag '\0' (old regular file) */
};

void tb_header(struct strbuf *sb, const struct th *h);
/* Header with size = len, then data and padding. */
void tb_entry(struct strbuf *sb, const struct th *h, const void *data, size_t len);
void tb_file(struct strbuf *sb, const char *name, const char *content);
void tb_dir(struct strbuf *sb, const char *name);
void tb_symlink(struct strbuf *sb, const char *name, const char *target);
void tb_hardlink(struct strbuf *sb, const char *name, const char *target);
void tb_record(struct strbuf *recs, const char *key, const void *value, size_t vlen);
/* A pax header ('x' or 'g') holding recs. */
void tb_pax(struct strbuf *sb, char type, const struct strbuf *recs);
/* GNU 'L' / 'K' long name header. */
void tb_long(struct strbuf *sb, char type, const char *name);
void tb_end(struct strbuf *sb);

/* Compress a buffer: gzip (members: how many concatenated members) or zstd. */
void gzip_buf(const void *in, size_t len, int members, struct strbuf *out);
void zstd_buf(const void *in, size_t len, struct strbuf *out);

struct memsrc {
        const unsigned char *p;
        size_t len, pos, chunk;
};
ssize_t memsrc_read(void *ud, void *buf, size_t len);
int mem_write(void *ud, const void *buf, size_t len); /* ud: struct strbuf */

/* layer_apply of an in-memory blob. */
int apply_mem(int dirfd, const void *blob, size_t len, enum layer_whiteouts wh, int tarsplit_fd, uint64_t max_size,
              struct layer_apply_result *res, cpod_error_t *err);

/* A temp dir holding "layer" (the target) and "sentinel" (must never change). */
struct fx {
        char *root, *layer;
        int layerfd;
};
void fx_setup(struct fx *f);
void fx_teardown(struct fx *f);
/* Nothing but "layer" and an intact "sentinel" in the temp dir, no stray files at /. */
bool fx_outside_clean(const struct fx *f);

/* One line per entry: path, type, mode, owner, size, content hash, target, rdev, nlink, xattrs, mtime (sec). */
char *tree_signature(int dirfd, bool dir_mtimes);
void rm_tree(const char *path);

#endif
