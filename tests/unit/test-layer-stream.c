/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the layer byte pipeline (lib/storage/layer-stream.c): gzip
 * members, headers, truncation, trailing bytes and corruption, through the
 * default gzip decoder (ISA-L when built with it) and through zlib, which
 * must agree on every input: same bytes and digests, or the same error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "cpod-config.h"
#include "storage/layer-stream.h"
#include "tar-test-util.h"
#include "util/digest.h"
#include "util/strbuf.h"

struct decoded {
        int rc;
        int code; /* err.code on failure */
        enum cpod_error_kind kind;
        char msg[256];
        struct strbuf out;
        char digest[DIGEST_STR_MAX], diff_id[DIGEST_STR_MAX];
        uint64_t csize, size;
        enum layer_compression comp;
};

/* Read sizes that vary like the tar reader's: headers, small files, whole buffers. */
static const size_t read_sizes[] = { 512, 65536, 7, 512, 8192, 1, 300000 };

static void decode(const struct strbuf *blob, size_t chunk, bool zlib, uint64_t max_size, struct decoded *d)
{
        struct memsrc m = { (const unsigned char *)blob->buf, blob->len, 0, chunk };
        struct layer_stream *s = layer_stream_new(memsrc_read, &m, max_size);
        cpod_error_t err = CPOD_ERROR_INIT;
        static char buf[300000];
        ssize_t n;
        size_t i = 0;

        memset(d, 0, sizeof(*d));
        strbuf_init(&d->out, 0);
        if (zlib)
                layer_stream_use_zlib(s);
        while ((n = layer_stream_read(s, buf, read_sizes[i++ % 7], &err)) > 0)
                strbuf_add(&d->out, buf, (size_t)n);
        d->rc = (int)n;
        if (n < 0) {
                d->code = err.code;
                d->kind = err.kind;
                snprintf(d->msg, sizeof(d->msg), "%s", cpod_error_msg(&err));
        } else
                layer_stream_result(s, d->digest, d->diff_id, &d->csize, &d->size, &d->comp);
        cpod_error_clear(&err);
        layer_stream_free(s);
}

/* The part of an error message before the decoder's own words ("invalid gzip data"). */
static size_t msg_class_len(const char *msg)
{
        const char *colon = strchr(msg, ':');

        return colon ? (size_t)(colon - msg) : strlen(msg);
}

/* Default decoder and zlib agree on blob; returns the default decoder's result (caller releases out). */
static void decode_both(const struct strbuf *blob, size_t chunk, uint64_t max_size, bool exact_msg, struct decoded *ret)
{
        struct decoded z;

        decode(blob, chunk, false, max_size, ret);
        decode(blob, chunk, true, max_size, &z);
        if ((ret->rc < 0) != (z.rc < 0))
                fail_msg("decoders disagree (chunk %zu): default %d \"%s\", zlib %d \"%s\"", chunk, ret->rc, ret->msg,
                         z.rc, z.msg);
        if (ret->rc < 0) {
                assert_int_equal(ret->kind, z.kind);
                assert_int_equal(ret->code, z.code);
                if (exact_msg)
                        assert_string_equal(ret->msg, z.msg);
                else if (msg_class_len(ret->msg) != msg_class_len(z.msg) ||
                         strncmp(ret->msg, z.msg, msg_class_len(z.msg)) != 0)
                        fail_msg("errors differ: default \"%s\", zlib \"%s\"", ret->msg, z.msg);
        } else {
                assert_int_equal(ret->out.len, z.out.len);
                assert_memory_equal(ret->out.buf, z.out.buf, z.out.len);
                assert_string_equal(ret->digest, z.digest);
                assert_string_equal(ret->diff_id, z.diff_id);
                assert_int_equal(ret->csize, z.csize);
                assert_int_equal(ret->size, z.size);
                assert_int_equal(ret->comp, z.comp);
        }
        strbuf_release(&z.out);
}

/* Compressible bytes (words from a small vocabulary, some binary), the same for a given seed. */
static void sample(size_t len, uint32_t seed, struct strbuf *out)
{
        static const char *const words[] = { "usr",       "lib",
                                             "share",     "doc",
                                             "bin",       "x86_64-linux-gnu",
                                             "\n",        " ",
                                             "copyright", "changelog.Debian.gz",
                                             "/",         "\0\0\0\0",
                                             "0644" };
        uint32_t x = seed * 2654435761u + 1;

        while (out->len < len) {
                x = x * 1103515245u + 12345u;
                if ((x >> 28) == 0)
                        strbuf_addch(out, (char)(x >> 16));
                else
                        strbuf_add(out, words[(x >> 16) % 13], strlen(words[(x >> 16) % 13]) ?: 4);
        }
        strbuf_setlen(out, len);
}

static void check_ok(const struct strbuf *blob, const struct strbuf *data, size_t chunk)
{
        struct decoded d;
        char want[DIGEST_STR_MAX];

        decode_both(blob, chunk, UINT64_MAX, true, &d);
        if (d.rc < 0)
                fail_msg("decode (chunk %zu): %s", chunk, d.msg);
        assert_int_equal(d.out.len, data->len);
        assert_memory_equal(d.out.buf, data->buf, data->len);
        digest_buf(data->buf, data->len, want);
        assert_string_equal(d.diff_id, want);
        digest_buf(blob->buf, blob->len, want);
        assert_string_equal(d.digest, want);
        assert_int_equal(d.csize, blob->len);
        strbuf_release(&d.out);
}

static void test_multi_member(void **state)
{
        static const int members[] = { 1, 2, 7, 64 };
        static const size_t chunks[] = { 0, 100, 4096, 70000 };
        struct strbuf data = STRBUF_INIT, small = STRBUF_INIT, gz = STRBUF_INIT, empty = STRBUF_INIT;

        (void)state;
        sample(3 << 20, 1, &data);
        for (size_t i = 0; i < 4; i++) {
                strbuf_reset(&gz);
                gzip_buf(data.buf, data.len, members[i], &gz);
                for (size_t c = 0; c < 4; c++)
                        check_ok(&gz, &data, chunks[c]);
        }
        /* Byte by byte: every header, block and trailer split at every place. */
        sample(40000, 2, &small);
        strbuf_reset(&gz);
        gzip_buf(small.buf, small.len, 3, &gz);
        check_ok(&gz, &small, 1);
        /* Empty members, first, between and last. */
        strbuf_reset(&gz);
        gzip_buf("", 0, 1, &empty);
        strbuf_add(&gz, empty.buf, empty.len);
        gzip_buf(small.buf, small.len, 2, &gz);
        strbuf_add(&gz, empty.buf, empty.len);
        gzip_buf(small.buf, 0, 1, &gz);
        check_ok(&gz, &small, 0);
        check_ok(&gz, &small, 3);
        check_ok(&empty, &(struct strbuf)STRBUF_INIT, 0);
        strbuf_release(&data);
        strbuf_release(&small);
        strbuf_release(&gz);
        strbuf_release(&empty);
}

/* One member with every optional header field zlib can write. */
static void gzip_with_header(const struct strbuf *data, bool hcrc, struct strbuf *out)
{
        unsigned char extra[] = "AB\4\0cpod", buf[65536];
        gz_header h = { .text = 1,
                        .time = 1234567890,
                        .os = 3,
                        .extra = extra,
                        .extra_len = 8,
                        .name = (unsigned char *)"layer.tar",
                        .comment = (unsigned char *)"a comment",
                        .hcrc = hcrc };
        z_stream z = { 0 };
        int ret;

        assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY), Z_OK);
        assert_int_equal(deflateSetHeader(&z, &h), Z_OK);
        z.next_in = (unsigned char *)data->buf;
        z.avail_in = (uInt)data->len;
        do {
                z.next_out = buf;
                z.avail_out = sizeof(buf);
                ret = deflate(&z, Z_FINISH);
                strbuf_add(out, buf, sizeof(buf) - z.avail_out);
        } while (ret != Z_STREAM_END);
        deflateEnd(&z);
}

static void test_header_fields(void **state)
{
        struct strbuf data = STRBUF_INIT, twice = STRBUF_INIT, gz = STRBUF_INIT;
        struct decoded d;

        (void)state;
        sample(100000, 3, &data);
        strbuf_add(&twice, data.buf, data.len);
        strbuf_add(&twice, data.buf, data.len);
        for (int hcrc = 0; hcrc < 2; hcrc++) {
                strbuf_reset(&gz);
                gzip_with_header(&data, hcrc, &gz);
                gzip_with_header(&data, hcrc, &gz);
                check_ok(&gz, &twice, 0);
                check_ok(&gz, &twice, 5);
        }
        /* The header crc sits right after the comment's NUL: "a comment" ends at byte 10+2+8+10+10. */
        gz.buf[10 + 2 + 8 + 10 + 10] ^= 1;
        decode_both(&gz, 0, UINT64_MAX, true, &d);
        assert_true(d.rc < 0);
        assert_string_equal(d.msg, "invalid gzip data: header crc mismatch");
        strbuf_release(&d.out);
        strbuf_release(&data);
        strbuf_release(&twice);
        strbuf_release(&gz);
}

/* Every prefix of a two-member stream: the same answer from both decoders. */
static void test_truncated(void **state)
{
        struct strbuf data = STRBUF_INIT, gz = STRBUF_INIT, cut = STRBUF_INIT, first = STRBUF_INIT;
        size_t ok = 0;

        (void)state;
        sample(20000, 4, &data);
        gzip_buf(data.buf, 12000, 1, &first);
        gzip_buf(data.buf, 12000, 1, &gz);
        gzip_buf(data.buf + 12000, data.len - 12000, 1, &gz);
        for (size_t len = 1; len < gz.len; len++) {
                struct decoded d;

                strbuf_reset(&cut);
                strbuf_add(&cut, gz.buf, len);
                decode_both(&cut, len % 3 == 0 ? 0 : 1000, UINT64_MAX, true, &d);
                if (len == first.len) {
                        /* Exactly the first member: a complete stream. */
                        assert_int_equal(d.rc, 0);
                        assert_int_equal(d.size, 12000);
                        ok++;
                } else if (len >= 2) {
                        assert_true(d.rc < 0);
                        assert_string_equal(d.msg, "unexpected end of gzip stream");
                        assert_int_equal(d.code, EIO);
                }
                strbuf_release(&d.out);
        }
        assert_int_equal(ok, 1);
        strbuf_release(&data);
        strbuf_release(&gz);
        strbuf_release(&cut);
        strbuf_release(&first);
}

/* Bytes after the last member: only another member may follow. */
static void test_trailing(void **state)
{
        static const struct {
                const char *bytes;
                size_t len;
                const char *msg;
        } cases[] = {
                { "junkjunk", 8, "invalid gzip data: incorrect header check" },
                { "j", 1, "unexpected end of gzip stream" },
                { "\0", 1, "unexpected end of gzip stream" },
                { "\0\0\0\0\0\0\0\0\0\0\0\0", 12, "invalid gzip data: incorrect header check" },
                { "\x1f", 1, "unexpected end of gzip stream" },
                { "\x1f\x8b", 2, "unexpected end of gzip stream" },
                { "\x1f\x8b\x08", 3, "unexpected end of gzip stream" },
                { "\x1f\x8b\x08\x00\x00\x00", 6, "unexpected end of gzip stream" },
                { "\x1f\x8b\x07\x00", 4, "invalid gzip data: unknown compression method" },
                { "\x1f\x8b\x08\x20", 4, "invalid gzip data: unknown header flags set" },
                { "\x1f\x8b\x08\x80\0\0\0\0\0\3", 10, "invalid gzip data: unknown header flags set" },
                { "\x8b\x1f\x08\x00\0\0\0\0\0\3", 10, "invalid gzip data: incorrect header check" },
        };
        struct strbuf data = STRBUF_INIT, gz = STRBUF_INIT, blob = STRBUF_INIT;

        (void)state;
        sample(50000, 5, &data);
        gzip_buf(data.buf, data.len, 2, &gz);
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
                for (size_t chunk = 0; chunk < 3; chunk++) {
                        struct decoded d;

                        strbuf_reset(&blob);
                        strbuf_add(&blob, gz.buf, gz.len);
                        strbuf_add(&blob, cases[i].bytes, cases[i].len);
                        decode_both(&blob, chunk == 2 ? 1 : chunk == 1 ? gz.len + 1 : 0, UINT64_MAX, true, &d);
                        assert_true(d.rc < 0);
                        assert_int_equal(d.kind, CPOD_E_CORRUPT);
                        assert_string_equal(d.msg, cases[i].msg);
                        strbuf_release(&d.out);
                }
        strbuf_release(&data);
        strbuf_release(&gz);
        strbuf_release(&blob);
}

/* The bound on the uncompressed size: exactly at it passes, one byte over fails. */
static void test_max_size(void **state)
{
        struct strbuf data = STRBUF_INIT, gz = STRBUF_INIT;
        struct decoded d;

        (void)state;
        sample(700000, 6, &data);
        gzip_buf(data.buf, data.len, 3, &gz);
        decode_both(&gz, 0, data.len, true, &d);
        assert_int_equal(d.rc, 0);
        strbuf_release(&d.out);
        decode_both(&gz, 0, data.len - 1, true, &d);
        assert_true(d.rc < 0);
        assert_int_equal(d.code, EFBIG);
        assert_non_null(strstr(d.msg, "larger than the maximum"));
        strbuf_release(&d.out);
        strbuf_release(&data);
        strbuf_release(&gz);
}

/*
 * Damaged streams: a byte set at random (headers, blocks, trailers), seeded
 * so every run tries the same ones.  Both decoders accept with the same bytes
 * or both reject, as corrupt, with the same kind of error.
 */
static void test_corrupt_differential(void **state)
{
        struct strbuf data = STRBUF_INIT, gz = STRBUF_INIT, bad = STRBUF_INIT;
        uint32_t x = 42;
        int rejected = 0;

        (void)state;
        sample(200000, 7, &data);
        gzip_buf(data.buf, data.len, 3, &gz);
        for (int i = 0; i < 600; i++) {
                struct decoded d;
                size_t pos;

                x = x * 1103515245u + 12345u;
                /* Half the damage near member edges, where the headers and trailers are. */
                pos = (i % 2) ? (x >> 8) % gz.len : (x >> 8) % 40;
                if (i % 4 == 1)
                        pos = gz.len - 1 - (x >> 8) % 40;
                strbuf_reset(&bad);
                strbuf_add(&bad, gz.buf, gz.len);
                x = x * 1103515245u + 12345u;
                bad.buf[pos] = (char)(bad.buf[pos] ^ (char)(1 + (x >> 24) % 255));
                decode_both(&bad, (i % 3) * 1000, UINT64_MAX, false, &d);
                if (d.rc < 0) {
                        assert_int_equal(d.kind, CPOD_E_CORRUPT);
                        rejected++;
                } else if (d.comp == LAYER_COMP_GZIP) {
                        /* Header bytes nobody checks (mtime, os, FTEXT): the data is intact. */
                        assert_int_equal(d.out.len, data.len);
                        assert_memory_equal(d.out.buf, data.buf, data.len);
                }
                strbuf_release(&d.out);
        }
        assert_true(rejected > 500);
        strbuf_release(&data);
        strbuf_release(&gz);
        strbuf_release(&bad);
}

/* zstd and uncompressed blobs still pass through unchanged, with the same digests. */
static void test_other_formats(void **state)
{
        struct strbuf data = STRBUF_INIT, zs = STRBUF_INIT;

        (void)state;
        sample(600000, 8, &data);
        zstd_buf(data.buf, data.len, &zs);
        check_ok(&zs, &data, 0);
        check_ok(&zs, &data, 999);
        check_ok(&data, &data, 0);
        check_ok(&data, &data, 3);
        strbuf_release(&data);
        strbuf_release(&zs);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_multi_member),  cmocka_unit_test(test_header_fields),
                cmocka_unit_test(test_truncated),     cmocka_unit_test(test_trailing),
                cmocka_unit_test(test_max_size),      cmocka_unit_test(test_corrupt_differential),
                cmocka_unit_test(test_other_formats),
        };

#ifdef CPOD_HAVE_ISAL
        fprintf(stderr, "# gzip: ISA-L against zlib\n");
#else
        fprintf(stderr, "# gzip: zlib only (built without ISA-L), both sides are zlib\n");
#endif
        return cmocka_run_group_tests(tests, NULL, NULL);
}
