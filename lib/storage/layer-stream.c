/* SPDX-License-Identifier: Apache-2.0 */
#include "storage/layer-stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "util/xalloc.h"

#define IN_BUF (64 * 1024)

struct layer_stream {
        ssize_t (*read)(void *userdata, void *buf, size_t len);
        void *userdata;
        uint64_t max_size, size;
        struct digester *blob_digest, *tar_digest;
        enum layer_compression comp;
        bool detected, src_eof, member_end;
        unsigned char *in;
        size_t in_pos, in_len;
        z_stream z;
        bool z_ready;
        ZSTD_DCtx *zd;
        size_t zret;
};

struct layer_stream *layer_stream_new(ssize_t (*read)(void *userdata, void *buf, size_t len), void *userdata,
                                      uint64_t max_size)
{
        struct layer_stream *s = xzalloc(sizeof(*s));

        s->read = read;
        s->userdata = userdata;
        s->max_size = max_size;
        s->blob_digest = digester_new();
        s->tar_digest = digester_new();
        s->in = xmalloc(IN_BUF);
        return s;
}

struct layer_stream *layer_stream_free(struct layer_stream *s)
{
        if (!s)
                return NULL;
        if (s->z_ready)
                inflateEnd(&s->z);
        ZSTD_freeDCtx(s->zd);
        digester_free(s->blob_digest);
        digester_free(s->tar_digest);
        free(s->in);
        free(s);
        return NULL;
}

/* Append source bytes to the input buffer (compacting it first).  0 at EOF too; < 0 on error. */
static int fill(struct layer_stream *s, cpod_error_t *err)
{
        ssize_t n;

        if (s->src_eof)
                return 0;
        if (s->in_pos > 0) {
                memmove(s->in, s->in + s->in_pos, s->in_len - s->in_pos);
                s->in_len -= s->in_pos;
                s->in_pos = 0;
        }
        do
                n = s->read(s->userdata, s->in + s->in_len, IN_BUF - s->in_len);
        while (n == -EINTR);
        if (n < 0)
                return cpod_error_sys(err, (int)-n, "read layer blob");
        if (n == 0)
                s->src_eof = true;
        digester_update(s->blob_digest, s->in + s->in_len, (size_t)n);
        s->in_len += (size_t)n;
        return 0;
}

static size_t avail(const struct layer_stream *s)
{
        return s->in_len - s->in_pos;
}

static int detect(struct layer_stream *s, cpod_error_t *err)
{
        static const unsigned char gz[] = { 0x1f, 0x8b }, zst[] = { 0x28, 0xb5, 0x2f, 0xfd };

        while (avail(s) < 4 && !s->src_eof)
                if (fill(s, err) < 0)
                        return -EIO;
        s->detected = true;
        if (avail(s) >= 2 && memcmp(s->in + s->in_pos, gz, 2) == 0) {
                s->comp = LAYER_COMP_GZIP;
                if (inflateInit2(&s->z, 15 + 16) != Z_OK)
                        return cpod_error_set(err, ENOMEM, CPOD_E_INTERNAL, "cannot initialise zlib");
                s->z_ready = true;
        } else if (avail(s) >= 4 && memcmp(s->in + s->in_pos, zst, 4) == 0) {
                s->comp = LAYER_COMP_ZSTD;
                s->zd = ZSTD_createDCtx();
                if (!s->zd)
                        return cpod_error_set(err, ENOMEM, CPOD_E_INTERNAL, "cannot initialise zstd");
        }
        return 0;
}

static ssize_t read_plain(struct layer_stream *s, void *buf, size_t len, cpod_error_t *err)
{
        if (avail(s) == 0 && fill(s, err) < 0)
                return -EIO;
        if (len > avail(s))
                len = avail(s);
        memcpy(buf, s->in + s->in_pos, len);
        s->in_pos += len;
        return (ssize_t)len;
}

static int truncated(cpod_error_t *err, const char *what)
{
        return cpod_error_set(err, EIO, CPOD_E_CORRUPT, "unexpected end of %s stream", what);
}

static ssize_t read_gzip(struct layer_stream *s, void *buf, size_t len, cpod_error_t *err)
{
        for (;;) {
                int ret;
                size_t before;

                if (avail(s) == 0 && fill(s, err) < 0)
                        return -EIO;
                if (s->member_end) {
                        /* Several gzip members concatenate; only EOF ends the stream. */
                        if (avail(s) == 0)
                                return 0;
                        inflateReset(&s->z);
                        s->member_end = false;
                }
                s->z.next_in = s->in + s->in_pos;
                s->z.avail_in = (uInt)avail(s);
                s->z.next_out = buf;
                s->z.avail_out = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
                before = s->z.avail_out;
                ret = inflate(&s->z, Z_NO_FLUSH);
                s->in_pos = (size_t)(s->z.next_in - s->in);
                if (ret == Z_STREAM_END)
                        s->member_end = true;
                else if (ret != Z_OK && ret != Z_BUF_ERROR)
                        return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "invalid gzip data: %s",
                                              s->z.msg ? s->z.msg : "error");
                if (before - s->z.avail_out > 0)
                        return (ssize_t)(before - s->z.avail_out);
                if (!s->member_end && avail(s) == 0 && s->src_eof)
                        return truncated(err, "gzip");
        }
}

static ssize_t read_zstd(struct layer_stream *s, void *buf, size_t len, cpod_error_t *err)
{
        for (;;) {
                ZSTD_inBuffer ib;
                ZSTD_outBuffer ob = { buf, len, 0 };
                size_t ret;

                if (avail(s) == 0 && fill(s, err) < 0)
                        return -EIO;
                /* zret 0: the last frame is complete and flushed (zstd's answer to an empty call is not). */
                if (avail(s) == 0 && s->src_eof && s->zret == 0)
                        return 0;
                ib = (ZSTD_inBuffer){ s->in, s->in_len, s->in_pos };
                ret = ZSTD_decompressStream(s->zd, &ob, &ib);
                if (ZSTD_isError(ret))
                        return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "invalid zstd data: %s",
                                              ZSTD_getErrorName(ret));
                s->in_pos = ib.pos;
                s->zret = ret;
                if (ob.pos > 0)
                        return (ssize_t)ob.pos;
                if (avail(s) == 0 && s->src_eof)
                        return truncated(err, "zstd");
        }
}

ssize_t layer_stream_read(struct layer_stream *s, void *buf, size_t len, cpod_error_t *err)
{
        ssize_t n;

        if (!s->detected && detect(s, err) < 0)
                return -EIO;
        if (s->comp == LAYER_COMP_GZIP)
                n = read_gzip(s, buf, len, err);
        else if (s->comp == LAYER_COMP_ZSTD)
                n = read_zstd(s, buf, len, err);
        else
                n = read_plain(s, buf, len, err);
        if (n <= 0)
                return n;
        s->size += (uint64_t)n;
        if (s->size > s->max_size)
                return cpod_error_set(err, EFBIG, CPOD_E_CORRUPT, "layer is larger than the maximum of %llu bytes",
                                      (unsigned long long)s->max_size);
        digester_update(s->tar_digest, buf, (size_t)n);
        return n;
}

void layer_stream_result(struct layer_stream *s, char compressed_digest[DIGEST_STR_MAX], char diff_id[DIGEST_STR_MAX],
                         uint64_t *ret_compressed_size, uint64_t *ret_size, enum layer_compression *ret_comp)
{
        *ret_compressed_size = digester_bytes(s->blob_digest);
        *ret_size = s->size;
        *ret_comp = s->comp;
        digester_final(s->blob_digest, compressed_digest);
        digester_final(s->tar_digest, diff_id);
}
