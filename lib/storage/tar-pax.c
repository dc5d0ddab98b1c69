/* SPDX-License-Identifier: Apache-2.0 */
/*
 * POSIX pax extended header records: "<len> <key>=<value>\n", len counting
 * the whole record.  Values are length-delimited, so xattr values may hold
 * any byte; path-like values may not hold NUL.
 */
#include <errno.h>
#include <limits.h>
#include <linux/limits.h>
#include <stdlib.h>
#include <string.h>

#include "storage/tar-private.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#define SCHILY_XATTR "SCHILY.xattr."
#define LIBARCHIVE_XATTR "LIBARCHIVE.xattr."

static int bad_record(cpod_error_t *err, const char *what)
{
        return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "invalid pax header: %s", what);
}

void tar_meta_clear(struct tar_meta *m)
{
        free(m->pax_path);
        free(m->pax_linkpath);
        free(m->gnu_name);
        free(m->gnu_link);
        for (size_t i = 0; i < m->n_xattrs; i++) {
                free(m->xattrs[i].name);
                free(m->xattrs[i].value);
        }
        free(m->xattrs);
        memset(m, 0, sizeof(*m));
}

int tar_xattr_set(struct tar_xattr **xattrs, size_t *n, char *name, void *value, size_t len, cpod_error_t *err)
{
        size_t i;

        if (!*name || strlen(name) > XATTR_NAME_MAX || len > XATTR_SIZE_MAX) {
                free(name);
                free(value);
                return bad_record(err, "xattr name or value too long");
        }
        for (i = 0; i < *n; i++)
                if (strcmp((*xattrs)[i].name, name) == 0)
                        break;
        if (i == *n) {
                if (*n >= TAR_MAX_XATTRS) {
                        free(name);
                        free(value);
                        return bad_record(err, "too many xattrs");
                }
                *xattrs = xreallocarray(*xattrs, *n + 1, sizeof(**xattrs));
                (*xattrs)[(*n)++] = (struct tar_xattr){ .name = name };
        } else {
                free(name);
                free((*xattrs)[i].value);
        }
        (*xattrs)[i].value = value;
        (*xattrs)[i].len = len;
        return 0;
}

static bool parse_decimal(const char *v, size_t n, uint64_t max, uint64_t *ret)
{
        uint64_t x = 0;

        if (n == 0 || n > 20)
                return false;
        for (size_t i = 0; i < n; i++) {
                if (v[i] < '0' || v[i] > '9')
                        return false;
                if (x > (max - (uint64_t)(v[i] - '0')) / 10)
                        return false;
                x = x * 10 + (uint64_t)(v[i] - '0');
        }
        *ret = x;
        return true;
}

/* "[-]<sec>[.<frac>]"; digits past nanoseconds are dropped. */
static bool parse_time(const char *v, size_t n, int64_t *ret_sec, uint32_t *ret_nsec)
{
        bool neg = n > 0 && v[0] == '-';
        const char *dot = memchr(v, '.', n);
        size_t ilen = (dot ? (size_t)(dot - v) : n) - neg;
        uint64_t sec, nsec = 0;
        size_t flen = dot ? n - (size_t)(dot - v) - 1 : 0;

        if (!parse_decimal(v + neg, ilen, INT64_MAX - 1, &sec))
                return false;
        for (size_t i = 0; i < 9; i++) {
                char c = i < flen ? dot[1 + i] : '0';
                if (c < '0' || c > '9')
                        return false;
                nsec = nsec * 10 + (uint64_t)(c - '0');
        }
        for (size_t i = 9; i < flen; i++)
                if (dot[1 + i] < '0' || dot[1 + i] > '9')
                        return false;
        if (!neg) {
                *ret_sec = (int64_t)sec;
                *ret_nsec = (uint32_t)nsec;
        } else {
                *ret_sec = -(int64_t)sec - (nsec ? 1 : 0);
                *ret_nsec = nsec ? (uint32_t)(1000000000 - nsec) : 0;
        }
        return true;
}

static int b64_value(char c)
{
        if (c >= 'A' && c <= 'Z')
                return c - 'A';
        if (c >= 'a' && c <= 'z')
                return c - 'a' + 26;
        if (c >= '0' && c <= '9')
                return c - '0' + 52;
        return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Base64 with or without '=' padding (libarchive writes it unpadded). */
static void *b64_decode(const char *v, size_t n, size_t *ret_len)
{
        unsigned char *out = xmalloc(n / 4 * 3 + 3);
        uint32_t acc = 0;
        size_t len = 0, bits = 0;

        while (n > 0 && v[n - 1] == '=')
                n--;
        for (size_t i = 0; i < n; i++) {
                int d = b64_value(v[i]);
                if (d < 0) {
                        free(out);
                        return NULL;
                }
                acc = acc << 6 | (uint32_t)d;
                bits += 6;
                if (bits >= 8) {
                        bits -= 8;
                        out[len++] = (unsigned char)(acc >> bits);
                }
        }
        *ret_len = len;
        return out;
}

static int hexval(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

/* libarchive %-encodes xattr names. */
static char *url_decode(const char *v, size_t n)
{
        char *out = xmalloc(n + 1);
        size_t len = 0;

        for (size_t i = 0; i < n; i++) {
                if (v[i] == '%' && i + 2 < n && hexval(v[i + 1]) >= 0 && hexval(v[i + 2]) >= 0) {
                        out[len++] = (char)(hexval(v[i + 1]) << 4 | hexval(v[i + 2]));
                        i += 2;
                } else {
                        out[len++] = v[i];
                }
        }
        out[len] = '\0';
        if (memchr(out, '\0', len)) {
                free(out);
                return NULL;
        }
        return out;
}

static int set_string(char **dst, const char *v, size_t n, cpod_error_t *err)
{
        if (memchr(v, '\0', n))
                return bad_record(err, "NUL in path");
        if (n >= PATH_MAX)
                return bad_record(err, "path too long");
        free(*dst);
        /* An empty value removes the field: the header's own value applies. */
        *dst = n ? xstrndup(v, n) : NULL;
        return 0;
}

static int set_xattr(struct tar_meta *m, const char *k, size_t klen, const char *v, size_t n, bool libarchive,
                     cpod_error_t *err)
{
        char *name;
        void *value;
        size_t len = n;

        if (libarchive) {
                name = url_decode(k, klen);
                value = b64_decode(v, n, &len);
        } else {
                name = memchr(k, '\0', klen) ? NULL : xstrndup(k, klen);
                value = n ? xmemdup(v, n) : xzalloc(1);
        }
        if (!name || !value) {
                free(name);
                free(value);
                return bad_record(err, "bad xattr record");
        }
        return tar_xattr_set(&m->xattrs, &m->n_xattrs, name, value, len, err);
}

static bool key_is(const char *k, size_t klen, const char *want)
{
        return klen == strlen(want) && memcmp(k, want, klen) == 0;
}

static bool key_prefix(const char *k, size_t klen, const char *prefix)
{
        return klen > strlen(prefix) && memcmp(k, prefix, strlen(prefix)) == 0;
}

static int apply_number(bool *has, uint64_t *dst, const char *v, size_t n, uint64_t max, const char *key,
                        cpod_error_t *err)
{
        if (n == 0) { /* removed: the header's value applies */
                *has = false;
                return 0;
        }
        if (!parse_decimal(v, n, max, dst))
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "invalid pax header: bad %s", key);
        *has = true;
        return 0;
}

static int apply_record(struct tar_meta *m, const char *k, size_t klen, const char *v, size_t n, cpod_error_t *err)
{
        if (key_is(k, klen, "path"))
                return set_string(&m->pax_path, v, n, err);
        if (key_is(k, klen, "linkpath"))
                return set_string(&m->pax_linkpath, v, n, err);
        if (key_is(k, klen, "size"))
                return apply_number(&m->has_size, &m->size, v, n, INT64_MAX, "size", err);
        if (key_is(k, klen, "uid"))
                return apply_number(&m->has_uid, &m->uid, v, n, INT64_MAX, "uid", err);
        if (key_is(k, klen, "gid"))
                return apply_number(&m->has_gid, &m->gid, v, n, INT64_MAX, "gid", err);
        if (key_is(k, klen, "mtime")) {
                m->has_mtime = n > 0;
                if (n > 0 && !parse_time(v, n, &m->mtime_sec, &m->mtime_nsec))
                        return bad_record(err, "bad mtime");
                return 0;
        }
        if (key_prefix(k, klen, SCHILY_XATTR))
                return set_xattr(m, k + strlen(SCHILY_XATTR), klen - strlen(SCHILY_XATTR), v, n, false, err);
        if (key_prefix(k, klen, LIBARCHIVE_XATTR))
                return set_xattr(m, k + strlen(LIBARCHIVE_XATTR), klen - strlen(LIBARCHIVE_XATTR), v, n, true, err);
        if (klen >= 11 && memcmp(k, "GNU.sparse.", 11) == 0)
                return cpod_error_set(err, ENOTSUP, CPOD_E_CORRUPT, "sparse files in layers are not supported");
        return 0; /* atime, ctime, uname, gname, charset, comment, vendor keys: not needed */
}

int tar_pax_parse(const char *data, size_t len, struct tar_meta *m, cpod_error_t *err)
{
        while (len > 0) {
                const char *sp = memchr(data, ' ', len < 21 ? len : 21), *k, *eq;
                uint64_t rlen;
                int r;

                if (!sp || !parse_decimal(data, (size_t)(sp - data), len, &rlen))
                        return bad_record(err, "bad record length");
                if (rlen < (uint64_t)(sp - data) + 4 || data[rlen - 1] != '\n')
                        return bad_record(err, "bad record");
                k = sp + 1;
                eq = memchr(k, '=', (size_t)(data + rlen - 1 - k));
                if (!eq || eq == k || memchr(k, '\0', (size_t)(eq - k)))
                        return bad_record(err, "bad record key");
                r = apply_record(m, k, (size_t)(eq - k), eq + 1, (size_t)(data + rlen - 1 - (eq + 1)), err);
                if (r < 0)
                        return r;
                data += rlen;
                len -= rlen;
        }
        return 0;
}
