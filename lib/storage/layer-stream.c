/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gzip: ISA-L when built with it (CPOD_HAVE_ISAL), zlib otherwise or when
 * asked (layer_stream_use_zlib).  Both accept and reject the same streams:
 * gzip members back to back, anything after a member that is not another
 * member is an error, a stream that stops inside a member is truncated.
 * Decoders write straight into the caller's buffer: an internal output
 * buffer measured no faster with either decoder (ISA-L buffers small reads
 * itself), and would add a copy of every byte.
 */
#include "storage/layer-stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "cpod-config.h"
#include "util/shims.h"
#include "util/xalloc.h"

#ifdef CPOD_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#define IN_BUF (256 * 1024)

struct layer_stream {
        ssize_t (*read)(void *userdata, void *buf, size_t len);
        void *userdata;
        uint64_t max_size, size;
        struct digester *blob_digest, *tar_digest;
        enum layer_compression comp;
        bool detected, src_eof, member_end, member_start, use_zlib;
        unsigned char *in;
        size_t in_pos, in_len;
        z_stream z;
        bool z_ready;
#ifdef CPOD_HAVE_ISAL
        struct inflate_state *isal;
#endif
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

void layer_stream_use_zlib(struct layer_stream *s)
{
        s->use_zlib = true;
}

struct layer_stream *layer_stream_free(struct layer_stream *s)
{
        if (!s)
                return NULL;
        if (s->z_ready)
                inflateEnd(&s->z);
#ifdef CPOD_HAVE_ISAL
        free(s->isal);
#endif
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

/* Fill until at least n bytes are buffered or the source ends. */
static int fill_to(struct layer_stream *s, size_t n, cpod_error_t *err)
{
        while (avail(s) < n && !s->src_eof)
                if (fill(s, err) < 0)
                        return cpod_error_rc(err, -EIO);
        return 0;
}

static int gzip_init(struct layer_stream *s, cpod_error_t *err)
{
#ifdef CPOD_HAVE_ISAL
        if (!s->use_zlib && isal_shim_open(NULL) == 0) {
                s->isal = xmalloc(sizeof(*s->isal));
                isal_inflate_init(s->isal);
                s->isal->crc_flag = ISAL_GZIP_NO_HDR_VER;
                s->member_start = true;
                return 0;
        }
#endif
        if (inflateInit2(&s->z, 15 + 16) != Z_OK)
                return cpod_error_set(err, ENOMEM, CPOD_E_INTERNAL, "cannot initialise zlib");
        s->z_ready = true;
        return 0;
}

static int detect(struct layer_stream *s, cpod_error_t *err)
{
        static const unsigned char gz[] = { 0x1f, 0x8b }, zst[] = { 0x28, 0xb5, 0x2f, 0xfd };

        if (fill_to(s, 4, err) < 0)
                return cpod_error_rc(err, -EIO);
        s->detected = true;
        if (avail(s) >= 2 && memcmp(s->in + s->in_pos, gz, 2) == 0) {
                s->comp = LAYER_COMP_GZIP;
                return gzip_init(s, err);
        }
        if (avail(s) >= 4 && memcmp(s->in + s->in_pos, zst, 4) == 0) {
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
                return cpod_error_rc(err, -EIO);
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

static int bad_gzip(cpod_error_t *err, const char *why)
{
        return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "invalid gzip data: %s", why);
}

/* One zlib inflate call into buf; *ret_out: bytes written. */
static int inflate_zlib(struct layer_stream *s, void *buf, size_t len, size_t *ret_out, cpod_error_t *err)
{
        int ret;

        if (s->member_end) {
                inflateReset(&s->z);
                s->member_end = false;
        }
        s->z.next_in = s->in + s->in_pos;
        s->z.avail_in = (uInt)avail(s);
        s->z.next_out = buf;
        s->z.avail_out = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
        ret = inflate(&s->z, Z_NO_FLUSH);
        s->in_pos = (size_t)(s->z.next_in - s->in);
        *ret_out = (size_t)((unsigned char *)s->z.next_out - (unsigned char *)buf);
        if (ret == Z_STREAM_END)
                s->member_end = true;
        else if (ret != Z_OK && ret != Z_BUF_ERROR)
                return bad_gzip(err, s->z.msg ? s->z.msg : "error");
        return 0;
}

#ifdef CPOD_HAVE_ISAL
enum { GZ_FHCRC = 0x02, GZ_FEXTRA = 0x04, GZ_FNAME = 0x08, GZ_FCOMMENT = 0x10, GZ_RESERVED = 0xe0 };

/* Make n header bytes available: 0, 1 when the blob ends first, < 0 on error. */
static int need(struct layer_stream *s, size_t n, cpod_error_t *err)
{
        if (fill_to(s, n, err) < 0)
                return cpod_error_rc(err, -EIO);
        return avail(s) < n;
}

/* Consume n header bytes, adding them to the header crc. */
static void take(struct layer_stream *s, size_t n, uLong *crc)
{
        *crc = crc32(*crc, s->in + s->in_pos, (uInt)n);
        s->in_pos += n;
}

/* Consume n bytes (FEXTRA's data), or through the next NUL when n is SIZE_MAX (FNAME, FCOMMENT). */
static int skip_field(struct layer_stream *s, size_t n, uLong *crc, cpod_error_t *err)
{
        while (n > 0) {
                const unsigned char *nul;
                size_t k;
                int r = need(s, 1, err);

                if (r != 0)
                        return r;
                k = n < avail(s) ? n : avail(s);
                if (n == SIZE_MAX) {
                        nul = memchr(s->in + s->in_pos, 0, avail(s));
                        k = nul ? (size_t)(nul - (s->in + s->in_pos)) + 1 : avail(s);
                        if (nul)
                                n = k;
                }
                take(s, k, crc);
                if (n != SIZE_MAX)
                        n -= k;
        }
        return 0;
}

/*
 * A member's header, read and checked here in zlib's order and with zlib's
 * words (zlib also rejects reserved flags, and looks at the magic after two
 * bytes where ISA-L waits for ten); ISA-L then decodes the raw deflate data
 * and checks the trailer (crc and length).  ISA-L 2.30's own header parser
 * restarts a header that arrives in pieces with a fresh local state: the
 * header crc comes out wrong, and the flags are read uninitialised.
 * 0: consumed; 1: the blob ends inside it; < 0: error.
 */
static int gzip_header(struct layer_stream *s, cpod_error_t *err)
{
        uLong crc = crc32(0, NULL, 0);
        const unsigned char *h;
        unsigned flags;
        int r;

        if ((r = need(s, 2, err)) != 0)
                return r;
        h = s->in + s->in_pos;
        if (h[0] != 0x1f || h[1] != 0x8b)
                return bad_gzip(err, "incorrect header check");
        if ((r = need(s, 4, err)) != 0)
                return r;
        h = s->in + s->in_pos;
        if (h[2] != Z_DEFLATED)
                return bad_gzip(err, "unknown compression method");
        if (h[3] & GZ_RESERVED)
                return bad_gzip(err, "unknown header flags set");
        flags = h[3];
        if ((r = need(s, 10, err)) != 0)
                return r;
        take(s, 10, &crc);
        if (flags & GZ_FEXTRA) {
                if ((r = need(s, 2, err)) != 0)
                        return r;
                h = s->in + s->in_pos;
                take(s, 2, &crc);
                if ((r = skip_field(s, (size_t)h[0] | (size_t)h[1] << 8, &crc, err)) != 0)
                        return r;
        }
        if ((flags & GZ_FNAME) && (r = skip_field(s, SIZE_MAX, &crc, err)) != 0)
                return r;
        if ((flags & GZ_FCOMMENT) && (r = skip_field(s, SIZE_MAX, &crc, err)) != 0)
                return r;
        if (flags & GZ_FHCRC) {
                if ((r = need(s, 2, err)) != 0)
                        return r;
                h = s->in + s->in_pos;
                if ((crc & 0xffff) != ((unsigned)h[0] | (unsigned)h[1] << 8))
                        return bad_gzip(err, "header crc mismatch");
                s->in_pos += 2;
        }
        return 0;
}

static const char *isal_strerror(int ret)
{
        switch (ret) {
        case ISAL_INVALID_BLOCK:
                return "invalid block";
        case ISAL_INVALID_SYMBOL:
                return "invalid code";
        case ISAL_INVALID_LOOKBACK:
                return "invalid distance too far back";
        case ISAL_INCORRECT_CHECKSUM: /* the trailer's crc or length */
                return "incorrect data check";
        default:
                return "error";
        }
}

static int inflate_isal(struct layer_stream *s, void *buf, size_t len, size_t *ret_out, cpod_error_t *err)
{
        struct inflate_state *st = s->isal;
        size_t in_before;
        int ret;

        if (s->member_end) {
                isal_inflate_reset(st);
                s->member_end = false;
                s->member_start = true;
        }
        if (s->member_start) {
                int r = gzip_header(s, err);
                if (r < 0)
                        return r;
                if (r > 0)
                        return truncated(err, "gzip");
                s->member_start = false;
        }
        in_before = s->in_pos;
        st->next_in = s->in + s->in_pos;
        st->avail_in = (uint32_t)avail(s);
        st->next_out = buf;
        st->avail_out = (uint32_t)(len > UINT32_MAX ? UINT32_MAX : len);
        ret = isal_inflate(st);
        s->in_pos = (size_t)(st->next_in - s->in);
        *ret_out = (size_t)(st->next_out - (uint8_t *)buf);
        if (ret < 0)
                return bad_gzip(err, isal_strerror(ret));
        if (st->block_state == ISAL_BLOCK_FINISH)
                s->member_end = true;
        else if (*ret_out == 0 && s->in_pos == in_before && avail(s) > 0)
                /* Not seen with real streams; never spin on input the decoder won't take. */
                return bad_gzip(err, "decoder stalled");
        return 0;
}
#endif

static ssize_t read_gzip(struct layer_stream *s, void *buf, size_t len, cpod_error_t *err)
{
        for (;;) {
                size_t out = 0;
                int r;

                if (avail(s) == 0 && fill(s, err) < 0)
                        return cpod_error_rc(err, -EIO);
                /* Several gzip members concatenate; only EOF ends the stream. */
                if (s->member_end && avail(s) == 0)
                        return 0;
#ifdef CPOD_HAVE_ISAL
                if (s->isal)
                        r = inflate_isal(s, buf, len, &out, err);
                else
#endif
                        r = inflate_zlib(s, buf, len, &out, err);
                if (r < 0)
                        return r;
                if (out > 0)
                        return (ssize_t)out;
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
                        return cpod_error_rc(err, -EIO);
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
                return cpod_error_rc(err, -EIO);
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
        /* Uncompressed, the tar is the blob: layer_stream_result reuses the blob digest. */
        if (s->comp != LAYER_COMP_NONE)
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
        if (s->comp == LAYER_COMP_NONE)
                memcpy(diff_id, compressed_digest, DIGEST_STR_MAX);
        else
                digester_final(s->tar_digest, diff_id);
}
