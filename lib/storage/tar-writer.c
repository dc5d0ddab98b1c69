/* SPDX-License-Identifier: Apache-2.0 */
#include "storage/tar-writer.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

#define MAX_OCTAL_7 07777777ULL      /* 8-byte fields */
#define MAX_OCTAL_11 077777777777ULL /* 12-byte fields */

struct tar_writer {
        tar_write_fn write;
        void *userdata;
        uint64_t remaining; /* data bytes the current entry still needs */
        uint32_t padding;
};

struct tar_writer *tar_writer_new(tar_write_fn write, void *userdata)
{
        struct tar_writer *w = xzalloc(sizeof(*w));

        w->write = write;
        w->userdata = userdata;
        return w;
}

struct tar_writer *tar_writer_free(struct tar_writer *w)
{
        free(w);
        return NULL;
}

static int out(struct tar_writer *w, const void *buf, size_t len, cpod_error_t *err)
{
        int r = len ? w->write(w->userdata, buf, len) : 0;

        return r < 0 ? cpod_error_sys(err, -r, "write tar") : 0;
}

static int pad(struct tar_writer *w, cpod_error_t *err)
{
        static const char zeros[TAR_BLOCK];
        int r;

        if (w->remaining)
                return cpod_error_set(err, EINVAL, CPOD_E_INTERNAL, "tar entry data is %llu bytes short",
                                      (unsigned long long)w->remaining);
        r = out(w, zeros, w->padding, err);
        w->padding = 0;
        return r;
}

static bool is_ascii(const char *s)
{
        for (; *s; s++)
                if ((unsigned char)*s >= 0x80)
                        return false;
        return true;
}

static void octal(unsigned char *field, size_t width, uint64_t v)
{
        char tmp[32];

        snprintf(tmp, sizeof(tmp), "%0*llo", (int)(width - 1), (unsigned long long)v);
        memcpy(field, tmp, width - 1);
        field[width - 1] = '\0';
}

/* Fit path into ustar name (100) + prefix (155), split at a '/'.  False if it cannot. */
static bool split_name(const char *path, unsigned char *blk)
{
        size_t len = strlen(path);

        if (!is_ascii(path))
                return false;
        if (len <= 100) {
                memcpy(blk, path, len);
                return true;
        }
        for (size_t i = len - 1; i > 0; i--) {
                if (path[i] != '/' || i > 155 || len - i - 1 > 100 || len - i - 1 == 0)
                        continue;
                memcpy(blk + 345, path, i);
                memcpy(blk, path + i + 1, len - i - 1);
                return true;
        }
        return false;
}

static void checksum(unsigned char *blk)
{
        unsigned sum = 0;

        memset(blk + 148, ' ', 8);
        for (size_t i = 0; i < TAR_BLOCK; i++)
                sum += blk[i];
        snprintf((char *)blk + 148, 8, "%06o", sum);
        blk[155] = ' ';
}

static void add_record(struct strbuf *sb, const char *key, const void *value, size_t vlen)
{
        size_t rest = 1 + strlen(key) + 1 + vlen + 1, len = rest + 1;
        char digits[24];

        /* The length counts its own digits. */
        while ((size_t)snprintf(digits, sizeof(digits), "%zu", len) + rest != len)
                len = (size_t)snprintf(digits, sizeof(digits), "%zu", len) + rest;
        strbuf_addf(sb, "%zu %s=", len, key);
        strbuf_add(sb, value, vlen);
        strbuf_addch(sb, '\n');
}

static void add_number(struct strbuf *sb, const char *key, long long v)
{
        char num[24];

        snprintf(num, sizeof(num), "%lld", v);
        add_record(sb, key, num, strlen(num));
}

/* Pax records for what ustar cannot hold, in key order. */
static void pax_records(const struct tar_entry *e, bool path_fits, struct strbuf *sb)
{
        for (size_t i = 0; i < e->n_xattrs; i++) {
                char *key = xasprintf("SCHILY.xattr.%s", e->xattrs[i].name);
                add_record(sb, key, e->xattrs[i].value, e->xattrs[i].len);
                free(key);
        }
        if (e->gid > MAX_OCTAL_7)
                add_number(sb, "gid", (long long)e->gid);
        if (strlen(e->linkname) > 100 || !is_ascii(e->linkname))
                add_record(sb, "linkpath", e->linkname, strlen(e->linkname));
        if (e->mtime_sec < 0 || (uint64_t)e->mtime_sec > MAX_OCTAL_11)
                add_number(sb, "mtime", (long long)e->mtime_sec);
        if (!path_fits)
                add_record(sb, "path", e->path, strlen(e->path));
        if (e->size > MAX_OCTAL_11)
                add_number(sb, "size", (long long)e->size);
        if (e->uid > MAX_OCTAL_7)
                add_number(sb, "uid", (long long)e->uid);
}

static void base_header(unsigned char *blk, char type, uint32_t mode, uint64_t size)
{
        memset(blk, 0, TAR_BLOCK);
        octal(blk + 100, 8, mode);
        octal(blk + 108, 8, 0);
        octal(blk + 116, 8, 0);
        octal(blk + 124, 12, size);
        octal(blk + 136, 12, 0);
        blk[156] = (unsigned char)type;
        memcpy(blk + 257,
               "ustar\0"
               "00",
               8);
        octal(blk + 329, 8, 0);
        octal(blk + 337, 8, 0);
}

static int write_pax(struct tar_writer *w, const char *path, const struct strbuf *pax, cpod_error_t *err)
{
        unsigned char blk[TAR_BLOCK];
        const char *base = strrchr(path, '/') && strrchr(path, '/')[1] ? strrchr(path, '/') + 1 : path;
        size_t n = 0;

        base_header(blk, 'x', 0644, pax->len);
        memcpy(blk, "PaxHeaders.0/", 13);
        for (const char *p = base; *p && n < 80; p++, n++) /* a readable hint only: readers ignore it */
                blk[13 + n] = ((unsigned char)*p < 0x80 && *p != '/') ? (unsigned char)*p : '_';
        checksum(blk);
        w->remaining = 0;
        w->padding = (uint32_t)((TAR_BLOCK - pax->len % TAR_BLOCK) % TAR_BLOCK);
        if (out(w, blk, TAR_BLOCK, err) < 0 || out(w, pax->buf, pax->len, err) < 0)
                return cpod_error_rc(err, -EIO);
        return pad(w, err);
}

int tar_writer_header(struct tar_writer *w, const struct tar_entry *e, cpod_error_t *err)
{
        unsigned char blk[TAR_BLOCK];
        struct strbuf pax = STRBUF_INIT;
        bool fits;
        int r;

        if (pad(w, err) < 0)
                return cpod_error_rc(err, -EIO);
        base_header(blk, e->type, e->mode & 07777, e->size <= MAX_OCTAL_11 ? e->size : 0);
        fits = split_name(e->path, blk);
        if (!fits)
                memcpy(blk, e->path, strnlen(e->path, 100));
        memcpy(blk + 157, e->linkname, strnlen(e->linkname, 100));
        octal(blk + 108, 8, e->uid <= MAX_OCTAL_7 ? e->uid : 0);
        octal(blk + 116, 8, e->gid <= MAX_OCTAL_7 ? e->gid : 0);
        if (e->mtime_sec >= 0 && (uint64_t)e->mtime_sec <= MAX_OCTAL_11)
                octal(blk + 136, 12, (uint64_t)e->mtime_sec);
        octal(blk + 329, 8, e->devmajor);
        octal(blk + 337, 8, e->devminor);
        checksum(blk);
        pax_records(e, fits, &pax);
        r = pax.len ? write_pax(w, e->path, &pax, err) : 0;
        strbuf_release(&pax);
        if (r < 0 || out(w, blk, TAR_BLOCK, err) < 0)
                return cpod_error_rc(err, -EIO);
        w->remaining = e->size;
        w->padding = (uint32_t)((TAR_BLOCK - e->size % TAR_BLOCK) % TAR_BLOCK);
        return 0;
}

int tar_writer_data(struct tar_writer *w, const void *buf, size_t len, cpod_error_t *err)
{
        if (len > w->remaining)
                return cpod_error_set(err, EINVAL, CPOD_E_INTERNAL, "tar entry data longer than its size");
        w->remaining -= len;
        return out(w, buf, len, err);
}

int tar_writer_finish(struct tar_writer *w, cpod_error_t *err)
{
        static const char zeros[2 * TAR_BLOCK];

        if (pad(w, err) < 0)
                return cpod_error_rc(err, -EIO);
        return out(w, zeros, sizeof(zeros), err);
}
