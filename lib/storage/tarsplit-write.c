/* SPDX-License-Identifier: Apache-2.0 */
/* The tar-split writer: records compressed with zstd as they come. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "storage/tarsplit.h"
#include "util/fileutil.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define RAW_FLUSH (64 * 1024)

struct tarsplit_writer {
        int fd;
        ZSTD_CCtx *cctx;
        struct strbuf raw;  /* raw bytes not yet written as an 'R' record */
        uint64_t file_left; /* payload bytes still covered by the last 'F' record */
        unsigned char *out;
        size_t out_cap;
        bool started, failed;
};

struct tarsplit_writer *tarsplit_writer_new(int fd)
{
        struct tarsplit_writer *w = xzalloc(sizeof(*w));

        w->fd = fd;
        w->cctx = ZSTD_createCCtx();
        if (!w->cctx)
                abort();
        (void)ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_compressionLevel, 3);
        strbuf_init(&w->raw, 0);
        w->out_cap = ZSTD_CStreamOutSize();
        w->out = xmalloc(w->out_cap);
        return w;
}

struct tarsplit_writer *tarsplit_writer_free(struct tarsplit_writer *w)
{
        if (!w)
                return NULL;
        ZSTD_freeCCtx(w->cctx);
        strbuf_release(&w->raw);
        free(w->out);
        free(w);
        return NULL;
}

static int compress(struct tarsplit_writer *w, const void *buf, size_t len, ZSTD_EndDirective end, cpod_error_t *err)
{
        ZSTD_inBuffer in = { buf, len, 0 };
        size_t left;

        do {
                ZSTD_outBuffer out = { w->out, w->out_cap, 0 };
                int r;

                left = ZSTD_compressStream2(w->cctx, &out, &in, end);
                if (ZSTD_isError(left))
                        return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "compress tar-split: %s",
                                              ZSTD_getErrorName(left));
                r = write_all(w->fd, w->out, out.pos);
                if (r < 0)
                        return cpod_error_sys(err, -r, "write tar-split");
        } while (end == ZSTD_e_end ? left > 0 : in.pos < in.size);
        return 0;
}

static void add_varint(struct strbuf *sb, uint64_t v)
{
        do {
                unsigned char c = v & 0x7f;
                v >>= 7;
                strbuf_addch(sb, c | (v ? 0x80 : 0));
        } while (v);
}

/* Emit pending raw bytes as an 'R' record, then `rec` (may be empty). */
static int emit(struct tarsplit_writer *w, const struct strbuf *rec, cpod_error_t *err)
{
        struct strbuf hdr = STRBUF_INIT;
        int r = 0;

        if (!w->started) {
                strbuf_add(&hdr, TARSPLIT_MAGIC, TARSPLIT_MAGIC_LEN);
                w->started = true;
        }
        if (w->raw.len) {
                strbuf_addch(&hdr, 'R');
                add_varint(&hdr, w->raw.len);
        }
        r = compress(w, hdr.buf, hdr.len, ZSTD_e_continue, err);
        if (r == 0)
                r = compress(w, w->raw.buf, w->raw.len, ZSTD_e_continue, err);
        if (r == 0 && rec)
                r = compress(w, rec->buf, rec->len, ZSTD_e_continue, err);
        strbuf_reset(&w->raw);
        strbuf_release(&hdr);
        if (r < 0)
                w->failed = true;
        return r;
}

int tarsplit_writer_observe(void *userdata, enum tar_raw_kind kind, const void *buf, size_t len, cpod_error_t *err)
{
        struct tarsplit_writer *w = userdata;

        if (kind == TAR_RAW_PAYLOAD && w->file_left) {
                size_t n = len < w->file_left ? len : (size_t)w->file_left;
                w->file_left -= n;
                buf = (const char *)buf + n;
                len -= n;
        } else if (kind == TAR_RAW_META && w->file_left) {
                return cpod_error_set(err, EINVAL, CPOD_E_INTERNAL, "tar-split: file data ended early");
        }
        strbuf_add(&w->raw, buf, len);
        return w->raw.len >= RAW_FLUSH ? emit(w, NULL, err) : 0;
}

int tarsplit_writer_file(struct tarsplit_writer *w, const char *path, uint64_t size, cpod_error_t *err)
{
        struct strbuf rec = STRBUF_INIT;
        size_t plen = strlen(path);
        int r;

        if (w->file_left)
                return cpod_error_set(err, EINVAL, CPOD_E_INTERNAL, "tar-split: file announced twice");
        if (size == 0)
                return 0; /* nothing to take from the file */
        strbuf_addch(&rec, 'F');
        add_varint(&rec, size);
        add_varint(&rec, plen);
        strbuf_add(&rec, path, plen);
        r = emit(w, &rec, err);
        strbuf_release(&rec);
        if (r == 0)
                w->file_left = size;
        return r;
}

int tarsplit_writer_finish(struct tarsplit_writer *w, uint64_t total, const char *diff_id, cpod_error_t *err)
{
        struct strbuf rec = STRBUF_INIT;
        int r;

        if (w->failed || w->file_left)
                return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "tar-split: incomplete stream");
        strbuf_addch(&rec, 'E');
        add_varint(&rec, total);
        add_varint(&rec, strlen(diff_id));
        strbuf_addstr(&rec, diff_id);
        r = emit(w, &rec, err);
        strbuf_release(&rec);
        if (r == 0)
                r = compress(w, NULL, 0, ZSTD_e_end, err);
        return r;
}
