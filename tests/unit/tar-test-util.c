/* SPDX-License-Identifier: Apache-2.0 */
#include "tar-test-util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "util/cleanup.h"
#include "util/digest.h"
#include "util/fileutil.h"
#include "util/xalloc.h"

#define SENTINEL "do not touch\n"

static void octal(unsigned char *f, size_t width, unsigned long long v)
{
        char tmp[32];

        snprintf(tmp, sizeof(tmp), "%0*llo", (int)(width - 1), v);
        memcpy(f, tmp, width - 1);
}

void tb_header(struct strbuf *sb, const struct th *h)
{
        unsigned char b[512] = { 0 };
        unsigned sum = 0;

        memcpy(b, h->name, strnlen(h->name, 100));
        octal(b + 100, 8, h->mode ? h->mode : 0644);
        octal(b + 108, 8, h->uid);
        octal(b + 116, 8, h->gid);
        octal(b + 124, 12, h->size);
        octal(b + 136, 12, (unsigned long long)(h->mtime ? h->mtime : 1000000000));
        b[156] = h->nul_type ? 0 : (unsigned char)(h->type ? h->type : '0');
        if (h->link)
                memcpy(b + 157, h->link, strnlen(h->link, 100));
        if (h->format == TH_USTAR)
                memcpy(b + 257,
                       "ustar\0"
                       "00",
                       8);
        else if (h->format == TH_GNU)
                memcpy(b + 257, "ustar  \0", 8);
        if (h->format != TH_V7) {
                octal(b + 329, 8, h->devmajor);
                octal(b + 337, 8, h->devminor);
        }
        if (h->prefix)
                memcpy(b + 345, h->prefix, strnlen(h->prefix, 155));
        if (h->base256_uid) {
                memset(b + 108, 0, 8);
                b[108] = 0x80;
                for (int i = 0; i < 7; i++)
                        b[115 - i] = (unsigned char)(h->uid >> (8 * i));
        }
        memset(b + 148, ' ', 8);
        for (int i = 0; i < 512; i++)
                sum += b[i];
        snprintf((char *)b + 148, 8, "%06o", sum + (h->bad_sum ? 1 : 0));
        b[155] = ' ';
        strbuf_add(sb, b, 512);
}

static void pad(struct strbuf *sb)
{
        strbuf_addchars(sb, 0, (512 - sb->len % 512) % 512);
}

void tb_entry(struct strbuf *sb, const struct th *h, const void *data, size_t len)
{
        struct th c = *h;

        c.size = len;
        tb_header(sb, &c);
        strbuf_add(sb, data, len);
        pad(sb);
}

void tb_file(struct strbuf *sb, const char *name, const char *content)
{
        tb_entry(sb, &(struct th){ .name = name }, content, strlen(content));
}

void tb_dir(struct strbuf *sb, const char *name)
{
        tb_header(sb, &(struct th){ .name = name, .type = '5', .mode = 0755 });
}

void tb_symlink(struct strbuf *sb, const char *name, const char *target)
{
        tb_header(sb, &(struct th){ .name = name, .type = '2', .mode = 0777, .link = target });
}

void tb_hardlink(struct strbuf *sb, const char *name, const char *target)
{
        tb_header(sb, &(struct th){ .name = name, .type = '1', .link = target });
}

void tb_record(struct strbuf *recs, const char *key, const void *value, size_t vlen)
{
        size_t rest = strlen(key) + vlen + 3, len = rest + 1;

        while ((size_t)snprintf(NULL, 0, "%zu", len) + rest != len)
                len = (size_t)snprintf(NULL, 0, "%zu", len) + rest;
        strbuf_addf(recs, "%zu %s=", len, key);
        strbuf_add(recs, value, vlen);
        strbuf_addch(recs, '\n');
}

void tb_pax(struct strbuf *sb, char type, const struct strbuf *recs)
{
        tb_entry(sb, &(struct th){ .name = "PaxHeader/x", .type = type }, recs->buf, recs->len);
}

void tb_long(struct strbuf *sb, char type, const char *name)
{
        tb_entry(sb, &(struct th){ .name = "././@LongLink", .type = type, .format = TH_GNU }, name, strlen(name) + 1);
}

void tb_end(struct strbuf *sb)
{
        strbuf_addchars(sb, 0, 1024);
}

void gzip_buf(const void *in, size_t len, int members, struct strbuf *out)
{
        size_t per = members > 1 ? len / (size_t)members : len, off = 0;

        for (int m = 0; m < members; m++) {
                size_t n = m == members - 1 ? len - off : per;
                z_stream z = { 0 };
                unsigned char buf[65536];
                int ret;

                if (deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
                        abort();
                z.next_in = (unsigned char *)in + off;
                z.avail_in = (uInt)n;
                do {
                        z.next_out = buf;
                        z.avail_out = sizeof(buf);
                        ret = deflate(&z, Z_FINISH);
                        strbuf_add(out, buf, sizeof(buf) - z.avail_out);
                } while (ret != Z_STREAM_END);
                deflateEnd(&z);
                off += n;
        }
}

void zstd_buf(const void *in, size_t len, struct strbuf *out)
{
        size_t cap = ZSTD_compressBound(len), n;

        strbuf_grow(out, cap);
        n = ZSTD_compress(out->buf + out->len, cap, in, len, 3);
        if (ZSTD_isError(n))
                abort();
        strbuf_setlen(out, out->len + n);
}

ssize_t memsrc_read(void *ud, void *buf, size_t len)
{
        struct memsrc *m = ud;
        size_t n = m->len - m->pos;

        if (n > len)
                n = len;
        if (m->chunk && n > m->chunk)
                n = m->chunk;
        memcpy(buf, m->p + m->pos, n);
        m->pos += n;
        return (ssize_t)n;
}

int mem_write(void *ud, const void *buf, size_t len)
{
        strbuf_add(ud, buf, len);
        return 0;
}

/* CPOD_TAR_DUMP_DIR=dir: keep every blob applied, as fuzzing seeds. */
static void dump_blob(const void *blob, size_t len, enum layer_whiteouts wh)
{
        static unsigned n;
        const char *dir = getenv("CPOD_TAR_DUMP_DIR");
        _cleanup_free_ char *p = NULL;
        _cleanup_close_ int fd = -1;
        unsigned char mode = wh == LAYER_WHITEOUT_APPLY;

        if (!dir || len > (1 << 20))
                return;
        p = xasprintf("%s/seed-%03u", dir, n++);
        fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || write_all(fd, &mode, 1) < 0 || write_all(fd, blob, len) < 0)
                abort();
}

int apply_mem(int dirfd, const void *blob, size_t len, enum layer_whiteouts wh, int tarsplit_fd, uint64_t max_size,
              struct layer_apply_result *res, cpod_error_t *err)
{
        struct memsrc m = { blob, len, 0, 0 };
        struct layer_apply_opts o = {
                .read = memsrc_read,
                .userdata = &m,
                .target_dirfd = dirfd,
                .whiteouts = wh,
                .tarsplit_fd = tarsplit_fd,
                .max_size = max_size,
        };
        struct layer_apply_result tmp;

        dump_blob(blob, len, wh);
        return layer_apply(&o, res ? res : &tmp, err);
}

void fx_setup(struct fx *f)
{
        char tmpl[] = "/tmp/cpod-test-tar.XXXXXX";
        _cleanup_free_ char *sentinel = NULL;

        if (!mkdtemp(tmpl))
                abort();
        f->root = xstrdup(tmpl);
        f->layer = path_join(f->root, "layer");
        sentinel = path_join(f->root, "sentinel");
        if (mkdir(f->layer, 0755) < 0 || write_file(sentinel, SENTINEL, strlen(SENTINEL), 0644, NULL) < 0)
                abort();
        f->layerfd = open(f->layer, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (f->layerfd < 0)
                abort();
}

void rm_tree(const char *path)
{
        (void)rm_rf(path, NULL);
}

void fx_teardown(struct fx *f)
{
        close(f->layerfd);
        rm_tree(f->root);
        free(f->root);
        free(f->layer);
}

static const char *const host_paths[] = { "/escape", "/x", "/cpod-escape", "/abs", "/tmp/cpod-escape" };

bool fx_outside_clean(const struct fx *f)
{
        _cleanup_free_ char *sentinel = path_join(f->root, "sentinel"), *data = NULL;
        DIR *d = opendir(f->root);
        struct dirent *de;
        bool ok = d != NULL;
        size_t len = 0;

        while (ok && (de = readdir(d)))
                if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && strcmp(de->d_name, "layer") &&
                    strcmp(de->d_name, "sentinel")) {
                        fprintf(stderr, "stray entry outside the layer: %s\n", de->d_name);
                        ok = false;
                }
        if (d)
                closedir(d);
        if (read_file(sentinel, &data, &len, 4096, NULL) < 0 || strcmp(data, SENTINEL) != 0)
                ok = false;
        for (size_t i = 0; i < sizeof(host_paths) / sizeof(host_paths[0]); i++)
                if (access(host_paths[i], F_OK) == 0) {
                        fprintf(stderr, "stray entry on the host: %s\n", host_paths[i]);
                        ok = false;
                }
        return ok;
}

static void sig_xattrs(struct strbuf *sb, int dirfd, const char *name)
{
        _cleanup_free_ char *p = xasprintf("/proc/self/fd/%d/%s", dirfd, name);
        char names[4096], val[1024];
        ssize_t n = llistxattr(p, names, sizeof(names));

        for (ssize_t i = 0; n > 0 && i < n; i += (ssize_t)strlen(names + i) + 1) {
                ssize_t v = lgetxattr(p, names + i, val, sizeof(val));
                strbuf_addf(sb, " x:%s=", names + i);
                for (ssize_t j = 0; j < v; j++)
                        strbuf_addf(sb, "%02x", (unsigned char)val[j]);
        }
}

static int cmpstr(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static void content_hash(struct strbuf *sb, int dirfd, const char *name)
{
        _cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        _cleanup_free_ char *data = NULL;
        char dg[DIGEST_STR_MAX];
        size_t len = 0;

        if (fd < 0 || read_fd(fd, &data, &len, 64 << 20, NULL) < 0) {
                strbuf_addstr(sb, " unreadable");
                return;
        }
        digest_buf(data, len, dg);
        strbuf_addf(sb, " %.20s", dg + 7);
}

static void sig_dir(struct strbuf *sb, int dirfd, const char *prefix, bool dir_mtimes)
{
        char *names[4096];
        size_t n = 0;
        DIR *d = fdopendir(openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        struct dirent *de;

        while (d && (de = readdir(d)) && n < 4096)
                if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
                        names[n++] = xstrdup(de->d_name);
        if (d)
                closedir(d);
        qsort(names, n, sizeof(char *), cmpstr);
        for (size_t i = 0; i < n; i++) {
                struct stat st;
                char target[4096];
                _cleanup_free_ char *path = xasprintf("%s%s", prefix, names[i]);

                fstatat(dirfd, names[i], &st, AT_SYMLINK_NOFOLLOW);
                strbuf_addf(sb, "%s %o %u:%u", path, st.st_mode, st.st_uid, st.st_gid);
                if (S_ISREG(st.st_mode)) {
                        strbuf_addf(sb, " size=%lld nlink=%lu", (long long)st.st_size, (unsigned long)st.st_nlink);
                        content_hash(sb, dirfd, names[i]);
                } else if (S_ISLNK(st.st_mode)) {
                        ssize_t l = readlinkat(dirfd, names[i], target, sizeof(target) - 1);
                        target[l < 0 ? 0 : l] = '\0';
                        strbuf_addf(sb, " -> %s", target);
                } else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
                        strbuf_addf(sb, " dev=%u,%u", major(st.st_rdev), minor(st.st_rdev));
                }
                if (!S_ISDIR(st.st_mode) || dir_mtimes)
                        strbuf_addf(sb, " mtime=%lld", (long long)st.st_mtim.tv_sec);
                sig_xattrs(sb, dirfd, names[i]);
                strbuf_addch(sb, '\n');
                if (S_ISDIR(st.st_mode)) {
                        int sub = openat(dirfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        _cleanup_free_ char *p2 = xasprintf("%s/", path);
                        sig_dir(sb, sub, p2, dir_mtimes);
                        close(sub);
                }
                free(names[i]);
        }
}

char *tree_signature(int dirfd, bool dir_mtimes)
{
        struct strbuf sb = STRBUF_INIT;

        sig_dir(&sb, dirfd, "", dir_mtimes);
        return strbuf_detach(&sb, NULL);
}
