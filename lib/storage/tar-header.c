/* SPDX-License-Identifier: Apache-2.0 */
/* Decoding of one 512-byte tar header block: ustar, star, old GNU and v7 layouts. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "storage/tar-private.h"

/* Field offsets and lengths of the ustar layout. */
#define F_NAME 0, 100
#define F_MODE 100, 8
#define F_UID 108, 8
#define F_GID 116, 8
#define F_SIZE 124, 12
#define F_MTIME 136, 12
#define F_CHKSUM 148, 8
#define F_TYPE 156
#define F_LINKNAME 157, 100
#define F_MAGIC 257
#define F_DEVMAJOR 329, 8
#define F_DEVMINOR 337, 8
#define F_PREFIX 345

enum tar_format { FMT_V7, FMT_USTAR, FMT_STAR, FMT_GNU };

bool tar_block_is_zero(const unsigned char *blk)
{
        for (size_t i = 0; i < TAR_BLOCK; i++)
                if (blk[i])
                        return false;
        return true;
}

/* GNU base-256: the high bit of the first byte set; 0xff.. is negative. */
static bool parse_base256(const unsigned char *b, size_t n, int64_t *ret)
{
        unsigned char inv = (b[0] & 0x40) ? 0xff : 0;
        uint64_t x = 0;

        for (size_t i = 0; i < n; i++) {
                unsigned char c = b[i] ^ inv;
                if (i == 0)
                        c &= 0x7f;
                if (x >> 56)
                        return false;
                x = x << 8 | c;
        }
        if (x >> 63)
                return false;
        *ret = inv ? ~(int64_t)x : (int64_t)x;
        return true;
}

/* Octal, padded with spaces or NULs on either side; an empty field is 0. */
static bool parse_octal(const unsigned char *b, size_t n, int64_t *ret)
{
        size_t i = 0, end = n;
        uint64_t x = 0;

        while (i < end && (b[i] == ' ' || b[i] == '\0'))
                i++;
        while (end > i && (b[end - 1] == ' ' || b[end - 1] == '\0'))
                end--;
        for (; i < end; i++) {
                if (b[i] < '0' || b[i] > '7' || (x >> 60))
                        return false;
                x = x << 3 | (uint64_t)(b[i] - '0');
        }
        if (x > INT64_MAX)
                return false;
        *ret = (int64_t)x;
        return true;
}

static bool parse_num(const unsigned char *blk, size_t off, size_t n, int64_t *ret)
{
        if (blk[off] & 0x80)
                return parse_base256(blk + off, n, ret);
        return parse_octal(blk + off, n, ret);
}

static bool parse_unsigned(const unsigned char *blk, size_t off, size_t n, uint64_t *ret)
{
        int64_t v;

        if (!parse_num(blk, off, n, &v) || v < 0)
                return false;
        *ret = (uint64_t)v;
        return true;
}

static void copy_str(char *dst, const unsigned char *blk, size_t off, size_t n)
{
        size_t len = strnlen((const char *)blk + off, n);

        memcpy(dst, blk + off, len);
        dst[len] = '\0';
}

static bool checksum_ok(const unsigned char *blk)
{
        int64_t want;
        uint64_t usum = 0;
        int64_t ssum = 0;

        if (!parse_octal(blk + 148, 8, &want))
                return false;
        for (size_t i = 0; i < TAR_BLOCK; i++) {
                unsigned char c = (i >= 148 && i < 156) ? ' ' : blk[i];
                usum += c;
                ssum += (signed char)c;
        }
        return want == (int64_t)usum || want == ssum;
}

static enum tar_format detect_format(const unsigned char *blk)
{
        if (memcmp(blk + F_MAGIC,
                   "ustar\0"
                   "00",
                   8) == 0)
                return memcmp(blk + 508, "tar\0", 4) == 0 ? FMT_STAR : FMT_USTAR;
        if (memcmp(blk + F_MAGIC, "ustar  \0", 8) == 0)
                return FMT_GNU;
        return FMT_V7;
}

static void decode_name(const unsigned char *blk, enum tar_format fmt, struct tar_header *h)
{
        char name[101];
        size_t plen = 0;

        copy_str(name, blk, F_NAME);
        if (fmt == FMT_USTAR || fmt == FMT_STAR) {
                copy_str(h->name, blk, F_PREFIX, fmt == FMT_STAR ? 131 : 155);
                plen = strlen(h->name);
        }
        if (plen)
                h->name[plen++] = '/';
        memcpy(h->name + plen, name, strlen(name) + 1);
}

static int bad_field(cpod_error_t *err, const char *field)
{
        return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "invalid tar header: bad %s field", field);
}

int tar_header_decode(const unsigned char *blk, struct tar_header *h, cpod_error_t *err)
{
        enum tar_format fmt = detect_format(blk);
        uint64_t dev;

        if (!checksum_ok(blk))
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "invalid tar header: checksum mismatch");
        memset(h, 0, sizeof(*h));
        decode_name(blk, fmt, h);
        copy_str(h->linkname, blk, F_LINKNAME);
        h->type = (char)blk[F_TYPE];
        if (!parse_unsigned(blk, F_MODE, &h->mode))
                return bad_field(err, "mode");
        if (!parse_unsigned(blk, F_UID, &h->uid))
                return bad_field(err, "uid");
        if (!parse_unsigned(blk, F_GID, &h->gid))
                return bad_field(err, "gid");
        if (!parse_unsigned(blk, F_SIZE, &h->size))
                return bad_field(err, "size");
        if (!parse_num(blk, F_MTIME, &h->mtime))
                return bad_field(err, "mtime");
        /* Like Go, only device entries' numbers are read: other tars leave junk there. */
        if (fmt == FMT_V7 || (h->type != TAR_CHAR && h->type != TAR_BLOCK_DEV))
                return 0;
        if (!parse_unsigned(blk, F_DEVMAJOR, &dev) || dev > UINT32_MAX)
                return bad_field(err, "devmajor");
        h->devmajor = (uint32_t)dev;
        if (!parse_unsigned(blk, F_DEVMINOR, &dev) || dev > UINT32_MAX)
                return bad_field(err, "devminor");
        h->devminor = (uint32_t)dev;
        return 0;
}
