/* SPDX-License-Identifier: Apache-2.0 */
#include "storage/tar-reader.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "storage/tar-private.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

struct tar_reader {
        tar_read_fn read;
        void *read_ud;
        tar_observe_fn observe;
        void *observe_ud;
        uint64_t offset;
        uint64_t remaining; /* data bytes of the current entry not consumed yet */
        uint32_t padding;   /* padding bytes after them */
        bool done;
        struct tar_entry entry;
        struct tar_meta meta;
};

struct tar_reader *tar_reader_new(tar_read_fn read, void *userdata)
{
        struct tar_reader *r = xzalloc(sizeof(*r));

        r->read = read;
        r->read_ud = userdata;
        return r;
}

void tar_entry_clear(struct tar_entry *e)
{
        free(e->path);
        free(e->linkname);
        for (size_t i = 0; i < e->n_xattrs; i++) {
                free(e->xattrs[i].name);
                free(e->xattrs[i].value);
        }
        free(e->xattrs);
        memset(e, 0, sizeof(*e));
}

struct tar_reader *tar_reader_free(struct tar_reader *r)
{
        if (!r)
                return NULL;
        tar_entry_clear(&r->entry);
        tar_meta_clear(&r->meta);
        free(r);
        return NULL;
}

void tar_reader_set_observer(struct tar_reader *r, tar_observe_fn observe, void *userdata)
{
        r->observe = observe;
        r->observe_ud = userdata;
}

uint64_t tar_reader_offset(const struct tar_reader *r)
{
        return r->offset;
}

/* Read up to n bytes (fewer only at EOF), showing them to the observer.  Returns bytes read or < 0. */
static ssize_t read_full(struct tar_reader *r, void *buf, size_t n, enum tar_raw_kind kind, cpod_error_t *err)
{
        size_t got = 0;

        while (got < n) {
                ssize_t k = r->read(r->read_ud, (char *)buf + got, n - got, err);
                if (k < 0)
                        return k;
                if (k == 0)
                        break;
                got += (size_t)k;
        }
        r->offset += got;
        if (got && r->observe) {
                int q = r->observe(r->observe_ud, kind, buf, got, err);
                if (q < 0)
                        return q;
        }
        return (ssize_t)got;
}

static int truncated(cpod_error_t *err)
{
        return cpod_error_set(err, EIO, CPOD_E_CORRUPT, "unexpected end of tar stream");
}

/* Consume exactly n bytes of metadata (or padding) into buf. */
static int read_meta(struct tar_reader *r, void *buf, size_t n, cpod_error_t *err)
{
        ssize_t k = read_full(r, buf, n, TAR_RAW_META, err);

        if (k < 0)
                return (int)k;
        return (size_t)k < n ? truncated(err) : 0;
}

static int skip(struct tar_reader *r, uint64_t n, enum tar_raw_kind kind, cpod_error_t *err)
{
        char buf[8192];

        while (n > 0) {
                size_t chunk = n < sizeof(buf) ? (size_t)n : sizeof(buf);
                ssize_t k = read_full(r, buf, chunk, kind, err);
                if (k < 0)
                        return (int)k;
                if ((size_t)k < chunk)
                        return truncated(err);
                n -= chunk;
        }
        return 0;
}

static uint32_t padding_of(uint64_t size)
{
        return (uint32_t)((TAR_BLOCK - size % TAR_BLOCK) % TAR_BLOCK);
}

/* Read an extended header's data ('x', 'L', 'K') into a new buffer, with its padding. */
static char *read_meta_data(struct tar_reader *r, uint64_t size, cpod_error_t *err)
{
        _cleanup_free_ char *buf = NULL;

        r->meta.bytes += size;
        if (size > TAR_MAX_META || r->meta.bytes > TAR_MAX_META) {
                cpod_error_set(err, EFBIG, CPOD_E_CORRUPT, "tar extended header larger than %u bytes", TAR_MAX_META);
                return NULL;
        }
        buf = xmalloc(size + 1);
        if (read_meta(r, buf, size, err) < 0 || skip(r, padding_of(size), TAR_RAW_META, err) < 0)
                return NULL;
        buf[size] = '\0';
        return TAKE_PTR(buf);
}

static int long_name(struct tar_reader *r, uint64_t size, char **dst, cpod_error_t *err)
{
        char *buf = read_meta_data(r, size, err);

        if (!buf)
                return cpod_error_rc(err, -EIO);
        if (strlen(buf) >= PATH_MAX) {
                free(buf);
                return cpod_error_set(err, ENAMETOOLONG, CPOD_E_CORRUPT, "tar long name too long");
        }
        free(*dst);
        *dst = buf;
        return 0;
}

/* 'x', 'g', 'L', 'K': returns 0 when consumed, 1 when h is a real entry. */
static int handle_meta(struct tar_reader *r, const struct tar_header *h, cpod_error_t *err)
{
        _cleanup_free_ char *pax = NULL;

        switch (h->type) {
        case 'L':
                return long_name(r, h->size, &r->meta.gnu_name, err);
        case 'K':
                return long_name(r, h->size, &r->meta.gnu_link, err);
        case 'x':
                pax = read_meta_data(r, h->size, err);
                if (!pax)
                        return cpod_error_rc(err, -EIO);
                return tar_pax_parse(pax, h->size, &r->meta, err);
        case 'g': /* global headers are not applied (as Go and containers/storage do); bytes kept raw */
                if (h->size > TAR_MAX_META)
                        return cpod_error_set(err, EFBIG, CPOD_E_CORRUPT, "tar global header too large");
                return skip(r, h->size + padding_of(h->size), TAR_RAW_META, err);
        case 'S':
                return cpod_error_set(err, ENOTSUP, CPOD_E_CORRUPT, "sparse files in layers are not supported");
        default:
                return 1;
        }
}

static bool header_only(char type)
{
        return type == TAR_LINK || type == TAR_SYMLINK || type == TAR_CHAR || type == TAR_BLOCK_DEV ||
               type == TAR_DIR || type == TAR_FIFO;
}

/* Combine the header block with the extended headers before it. */
static int build_entry(struct tar_reader *r, const struct tar_header *h, cpod_error_t *err)
{
        struct tar_entry *e = &r->entry;
        struct tar_meta *m = &r->meta;

        e->path = xstrdup(m->gnu_name ? m->gnu_name : m->pax_path ? m->pax_path : h->name);
        e->linkname = xstrdup(m->gnu_link ? m->gnu_link : m->pax_linkpath ? m->pax_linkpath : h->linkname);
        e->type = h->type;
        if (e->type == '\0')
                e->type = (*e->path && e->path[strlen(e->path) - 1] == '/') ? TAR_DIR : TAR_REG;
        else if (e->type == '7')
                e->type = TAR_REG;
        e->mode = (uint32_t)(h->mode & 07777);
        e->uid = m->has_uid ? m->uid : h->uid;
        e->gid = m->has_gid ? m->gid : h->gid;
        e->size = header_only(e->type) ? 0 : m->has_size ? m->size : h->size;
        if (e->size > INT64_MAX)
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "invalid tar header: bad size");
        e->mtime_sec = m->has_mtime ? m->mtime_sec : h->mtime;
        e->mtime_nsec = m->has_mtime ? m->mtime_nsec : 0;
        e->devmajor = h->devmajor;
        e->devminor = h->devminor;
        e->xattrs = TAKE_PTR(m->xattrs);
        e->n_xattrs = m->n_xattrs;
        m->n_xattrs = 0;
        r->remaining = e->size;
        r->padding = padding_of(e->size);
        return 0;
}

/* After a zero block: another zero block or EOF ends the archive; anything else is an error. */
static int end_blocks(struct tar_reader *r, unsigned char *blk, cpod_error_t *err)
{
        ssize_t k = read_full(r, blk, TAR_BLOCK, TAR_RAW_META, err);

        if (k < 0)
                return (int)k;
        if (k == 0 || (k == TAR_BLOCK && tar_block_is_zero(blk))) {
                r->done = true;
                return 0;
        }
        if (k < TAR_BLOCK)
                return truncated(err);
        return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "invalid tar header after end-of-archive block");
}

/* Read header blocks up to a real entry.  1: entry decoded; 0: end of archive. */
static int read_headers(struct tar_reader *r, cpod_error_t *err)
{
        unsigned char blk[TAR_BLOCK];
        struct tar_header h;
        bool any_meta = false;

        for (;;) {
                ssize_t k = read_full(r, blk, TAR_BLOCK, TAR_RAW_META, err);
                int q;

                if (k < 0)
                        return (int)k;
                if (k == 0 && !any_meta) {
                        r->done = true; /* an archive may end without the zero blocks */
                        return 0;
                }
                if (k < TAR_BLOCK)
                        return truncated(err);
                if (tar_block_is_zero(blk))
                        return any_meta ? cpod_error_set(err, EINVAL, CPOD_E_CORRUPT,
                                                         "tar extended header without an entry")
                                        : end_blocks(r, blk, err);
                if (tar_header_decode(blk, &h, err) < 0)
                        return cpod_error_rc(err, -EINVAL);
                q = handle_meta(r, &h, err);
                if (q != 0)
                        return q < 0 ? q : build_entry(r, &h, err) < 0 ? -EINVAL : 1;
                any_meta = true;
        }
}

int tar_reader_next(struct tar_reader *r, const struct tar_entry **ret_entry, cpod_error_t *err)
{
        int q;

        if (r->done)
                return 0;
        q = skip(r, r->remaining, TAR_RAW_PAYLOAD, err);
        if (q < 0)
                return q;
        r->remaining = 0;
        q = skip(r, r->padding, TAR_RAW_META, err);
        if (q < 0)
                return q;
        r->padding = 0;
        tar_entry_clear(&r->entry);
        tar_meta_clear(&r->meta);
        q = read_headers(r, err);
        if (q <= 0)
                return q;
        if (strlen(r->entry.path) >= PATH_MAX || strlen(r->entry.linkname) >= PATH_MAX)
                return cpod_error_set(err, ENAMETOOLONG, CPOD_E_CORRUPT, "tar entry name too long");
        *ret_entry = &r->entry;
        return 1;
}

ssize_t tar_reader_read(struct tar_reader *r, void *buf, size_t len, cpod_error_t *err)
{
        ssize_t k;

        if (len > r->remaining)
                len = (size_t)r->remaining;
        if (len == 0)
                return 0;
        k = read_full(r, buf, len, TAR_RAW_PAYLOAD, err);
        if (k < 0)
                return k;
        if (k == 0)
                return cpod_error_set(err, EIO, CPOD_E_CORRUPT, "unexpected end of tar stream in \"%s\"",
                                      r->entry.path);
        r->remaining -= (uint64_t)k;
        return k;
}

int64_t tar_reader_drain(struct tar_reader *r, cpod_error_t *err)
{
        char buf[16384];
        int64_t total = 0;

        for (;;) {
                ssize_t k = read_full(r, buf, sizeof(buf), TAR_RAW_META, err);
                if (k < 0)
                        return k;
                total += k;
                if ((size_t)k < sizeof(buf))
                        return total;
        }
}
