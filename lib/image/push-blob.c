/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Layers compressed for a push: the tar rebuilt from the store (its diff ID
 * verified on the way), compressed with gzip or zstd into an unnamed
 * temporary file, hashed as it is written.  The file is gone when closed,
 * also when the process dies.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "image/push.h"
#include "util/fileutil.h"
#include "util/xalloc.h"

#define OUT_BUF (128 * 1024)

struct sink {
        enum push_compression comp;
        z_stream z;
        ZSTD_CCtx *zc;
        unsigned char *out;
        int fd;
        struct digester *dg;
        int64_t size;
};

static int flush_out(struct sink *k, size_t n)
{
        int r;

        if (n == 0)
                return 0;
        r = write_all(k->fd, k->out, n);
        if (r < 0)
                return r;
        digester_update(k->dg, k->out, n);
        k->size += (int64_t)n;
        return 0;
}

static int gzip_feed(struct sink *k, const void *buf, size_t len, bool finish)
{
        int zr;

        k->z.next_in = (unsigned char *)buf;
        k->z.avail_in = (uInt)len;
        do {
                k->z.next_out = k->out;
                k->z.avail_out = OUT_BUF;
                zr = deflate(&k->z, finish ? Z_FINISH : Z_NO_FLUSH);
                if (zr == Z_STREAM_ERROR)
                        return -EIO;
                if (flush_out(k, OUT_BUF - k->z.avail_out) < 0)
                        return -EIO;
        } while (k->z.avail_out == 0 || (finish && zr != Z_STREAM_END));
        return 0;
}

static int zstd_feed(struct sink *k, const void *buf, size_t len, bool finish)
{
        ZSTD_inBuffer in = { buf, len, 0 };
        size_t left;

        do {
                ZSTD_outBuffer out = { k->out, OUT_BUF, 0 };
                left = ZSTD_compressStream2(k->zc, &out, &in, finish ? ZSTD_e_end : ZSTD_e_continue);
                if (ZSTD_isError(left) || flush_out(k, out.pos) < 0)
                        return -EIO;
        } while (finish ? left != 0 : in.pos < in.size);
        return 0;
}

static int sink_write(void *ud, const void *buf, size_t len)
{
        struct sink *k = ud;

        return k->comp == PUSH_GZIP ? gzip_feed(k, buf, len, false) : zstd_feed(k, buf, len, false);
}

void push_blob_clear(struct push_blob *b)
{
        if (b->fd >= 0)
                close(b->fd);
        b->fd = -1;
}

int push_blob_compress(struct store *s, const char *layer, enum push_compression comp, struct push_blob *ret,
                       cpod_error_t *err)
{
        struct sink k = { .comp = comp, .fd = -1 };
        int r = 0;

        k.fd = store_tmpfile(s, err);
        if (k.fd < 0)
                return cpod_error_rc(err, -EIO);
        k.out = xmalloc(OUT_BUF);
        k.dg = digester_new();
        if (comp == PUSH_GZIP) {
                if (deflateInit2(&k.z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
                        r = cpod_error_set(err, ENOMEM, CPOD_E_INTERNAL, "gzip: cannot initialise");
        } else {
                k.zc = ZSTD_createCCtx();
        }
        if (r == 0 && store_layer_tar(s, layer, sink_write, &k, err) < 0)
                r = -EIO;
        if (r == 0 && (comp == PUSH_GZIP ? gzip_feed(&k, NULL, 0, true) : zstd_feed(&k, NULL, 0, true)) < 0)
                r = cpod_error_sys(err, EIO, "compress layer %s", layer);
        if (comp == PUSH_GZIP)
                deflateEnd(&k.z);
        else
                ZSTD_freeCCtx(k.zc);
        free(k.out);
        if (r == 0) {
                digester_final(k.dg, ret->digest);
                ret->fd = k.fd;
                ret->size = k.size;
        } else {
                close(k.fd);
        }
        digester_free(k.dg);
        return r;
}
