/* SPDX-License-Identifier: Apache-2.0 */
/* Rebuilding the original tar from tar-split metadata and the layer dir. */
#include <errno.h>
#include <stdlib.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "storage/safe-path.h"
#include "storage/tarsplit.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/shims.h"
#include "util/xalloc.h"

#define COPY_BUF (64 * 1024)

struct assembler {
        int fd;
        ZSTD_DCtx *dctx;
        unsigned char *in, *out, *copy;
        size_t in_pos, in_len, out_pos, out_len, in_cap, out_cap;
        bool in_eof, frame_done;
        int (*write)(void *userdata, const void *buf, size_t len);
        void *userdata;
        struct digester *digest;
        uint64_t total;
};

static int corrupt(cpod_error_t *err, const char *what)
{
        return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "invalid tar-split metadata: %s", what);
}

/* Decompress more metadata into a->out.  0: some bytes, or none at the end of the stream. */
static int more(struct assembler *a, cpod_error_t *err)
{
        a->out_pos = a->out_len = 0;
        while (a->out_len == 0) {
                ZSTD_inBuffer ib;
                ZSTD_outBuffer ob = { a->out, a->out_cap, 0 };
                size_t ret;

                if (a->in_pos == a->in_len && !a->in_eof) {
                        ssize_t n = read(a->fd, a->in, a->in_cap);
                        if (n < 0 && errno == EINTR)
                                continue;
                        if (n < 0)
                                return cpod_error_sys(err, errno, "read tar-split");
                        a->in_pos = 0;
                        a->in_len = (size_t)n;
                        a->in_eof = n == 0;
                }
                if (a->in_pos == a->in_len && a->in_eof && a->frame_done)
                        return 0;
                ib = (ZSTD_inBuffer){ a->in, a->in_len, a->in_pos };
                ret = ZSTD_decompressStream(a->dctx, &ob, &ib);
                if (ZSTD_isError(ret))
                        return corrupt(err, ZSTD_getErrorName(ret));
                a->frame_done = ret == 0;
                a->in_pos = ib.pos;
                a->out_len = ob.pos;
                if (ob.pos == 0 && a->in_pos == a->in_len && a->in_eof)
                        return corrupt(err, "truncated");
        }
        return 0;
}

/* Point *ret at up to n metadata bytes (at least one); -EIO at the end of the stream. */
static ssize_t take(struct assembler *a, size_t n, const unsigned char **ret, cpod_error_t *err)
{
        if (a->out_pos == a->out_len) {
                if (more(a, err) < 0)
                        return cpod_error_rc(err, -EIO);
                if (a->out_len == 0)
                        return corrupt(err, "truncated");
        }
        if (n > a->out_len - a->out_pos)
                n = a->out_len - a->out_pos;
        *ret = a->out + a->out_pos;
        a->out_pos += n;
        return (ssize_t)n;
}

static int take_exact(struct assembler *a, void *buf, size_t n, cpod_error_t *err)
{
        for (size_t got = 0; got < n;) {
                const unsigned char *p = NULL;
                ssize_t k = take(a, n - got, &p, err);
                if (k < 0)
                        return (int)k;
                memcpy((char *)buf + got, p, (size_t)k);
                got += (size_t)k;
        }
        return 0;
}

static int varint(struct assembler *a, uint64_t *ret, cpod_error_t *err)
{
        uint64_t v = 0;

        for (unsigned shift = 0; shift < 64; shift += 7) {
                unsigned char c;
                if (take_exact(a, &c, 1, err) < 0)
                        return cpod_error_rc(err, -EIO);
                v |= (uint64_t)(c & 0x7f) << shift;
                if (!(c & 0x80)) {
                        *ret = v;
                        return 0;
                }
        }
        return corrupt(err, "bad number");
}

static int emit(struct assembler *a, const void *buf, size_t len, cpod_error_t *err)
{
        int r = a->write(a->userdata, buf, len);

        if (r < 0)
                return cpod_error_sys(err, -r, "write tar");
        digester_update(a->digest, buf, len);
        a->total += len;
        return 0;
}

static int copy_raw(struct assembler *a, cpod_error_t *err)
{
        uint64_t n;

        if (varint(a, &n, err) < 0)
                return cpod_error_rc(err, -EIO);
        while (n > 0) {
                const unsigned char *p = NULL;
                ssize_t k = take(a, n > SIZE_MAX ? SIZE_MAX : (size_t)n, &p, err);
                if (k < 0 || emit(a, p, (size_t)k, err) < 0)
                        return cpod_error_rc(err, -EIO);
                n -= (uint64_t)k;
        }
        return 0;
}

static char *read_string(struct assembler *a, size_t max, cpod_error_t *err)
{
        _cleanup_free_ char *s = NULL;
        uint64_t n;

        if (varint(a, &n, err) < 0)
                return NULL;
        if (n >= max) {
                corrupt(err, "string too long");
                return NULL;
        }
        s = xmalloc(n + 1);
        if (take_exact(a, s, n, err) < 0)
                return NULL;
        s[n] = '\0';
        if (strlen(s) != n) {
                corrupt(err, "NUL in string");
                return NULL;
        }
        return TAKE_PTR(s);
}

static int copy_file(struct assembler *a, cpod_error_t *err, int layer_dirfd)
{
        _cleanup_free_ char *path = NULL;
        _cleanup_close_ int fd = -1;
        struct stat st;
        uint64_t size;

        if (varint(a, &size, err) < 0 || !(path = read_string(a, PATH_MAX, err)))
                return cpod_error_rc(err, -EIO);
        fd = safe_openat(layer_dirfd, path, O_RDONLY | O_NOFOLLOW, 0);
        if (fd < 0)
                return cpod_error_sys(err, -fd, "open \"%s\" in the layer", path);
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "\"%s\" in the layer is not a regular file", path);
        while (size > 0) {
                ssize_t k = read(fd, a->copy, size < COPY_BUF ? (size_t)size : COPY_BUF);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return cpod_error_sys(err, errno, "read \"%s\" in the layer", path);
                if (k == 0)
                        return cpod_error_set(err, EIO, CPOD_E_CORRUPT, "\"%s\" in the layer is shorter than recorded",
                                              path);
                if (emit(a, a->copy, (size_t)k, err) < 0)
                        return cpod_error_rc(err, -EIO);
                size -= (uint64_t)k;
        }
        return 0;
}

static int check_digest(const char *what, const char *want, const char *got, cpod_error_t *err)
{
        if (want && strcmp(want, got) != 0)
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT,
                                      "reassembled layer does not match %s: expected %s, got %s", what, want, got);
        return 0;
}

/* 'E': the recorded length and diff ID, then nothing else. */
static int finish(struct assembler *a, const char *expect_diff_id, cpod_error_t *err)
{
        _cleanup_free_ char *diff_id = NULL;
        char got[DIGEST_STR_MAX];
        uint64_t total;

        if (varint(a, &total, err) < 0 || !(diff_id = read_string(a, DIGEST_STR_MAX, err)))
                return cpod_error_rc(err, -EIO);
        if (a->out_pos != a->out_len || more(a, err) < 0 || a->out_len != 0)
                return a->out_len ? corrupt(err, "data after the end record") : -EIO;
        if (total != a->total)
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "reassembled layer has %llu bytes, expected %llu",
                                      (unsigned long long)a->total, (unsigned long long)total);
        digester_final(a->digest, got);
        if (check_digest("its recorded diff ID", diff_id, got, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        return check_digest("the expected diff ID", expect_diff_id, got, err);
}

static int run(struct assembler *a, int layer_dirfd, const char *expect_diff_id, cpod_error_t *err)
{
        char magic[TARSPLIT_MAGIC_LEN];

        if (take_exact(a, magic, sizeof(magic), err) < 0)
                return cpod_error_rc(err, -EIO);
        if (memcmp(magic, TARSPLIT_MAGIC, TARSPLIT_MAGIC_LEN) != 0)
                return corrupt(err, "bad magic");
        for (;;) {
                unsigned char type;
                int r;

                if (take_exact(a, &type, 1, err) < 0)
                        return cpod_error_rc(err, -EIO);
                if (type == 'E')
                        return finish(a, expect_diff_id, err);
                if (type == 'R')
                        r = copy_raw(a, err);
                else if (type == 'F')
                        r = copy_file(a, err, layer_dirfd);
                else
                        r = corrupt(err, "unknown record");
                if (r < 0)
                        return r;
        }
}

int tarsplit_assemble(int tarsplit_fd, int layer_dirfd, int (*write)(void *userdata, const void *buf, size_t len),
                      void *userdata, const char *expect_diff_id, cpod_error_t *err)
{
        struct assembler a = {
                .fd = tarsplit_fd,
                .write = write,
                .userdata = userdata,
                .in_cap = ZSTD_DStreamInSize(),
                .out_cap = ZSTD_DStreamOutSize(),
        };
        int r;

        if (crypto_shim_open(err) < 0)
                return cpod_error_rc(err, -ELIBACC);
        a.dctx = ZSTD_createDCtx();
        if (!a.dctx)
                return cpod_error_set(err, ENOMEM, CPOD_E_INTERNAL, "cannot create a zstd decompressor");
        a.in = xmalloc(a.in_cap);
        a.out = xmalloc(a.out_cap);
        a.copy = xmalloc(COPY_BUF);
        a.digest = digester_new();
        r = run(&a, layer_dirfd, expect_diff_id, err);
        ZSTD_freeDCtx(a.dctx);
        free(a.in);
        free(a.out);
        free(a.copy);
        digester_free(a.digest);
        return r < 0 ? r : 0;
}
