/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for layer blobs: the input (after a first byte choosing
 * overlay or apply whiteouts) is applied with layer_apply into a fresh temp
 * dir, with tar-split.  Any input must apply or fail cleanly, never crash,
 * leak, or touch anything outside the layer: the temp dir holds the layer
 * dir and a sentinel that must both be all that is left there.  What applied
 * is then reassembled from its tar-split and turned back into a tar with
 * layer_diff_tar, which our own reader must parse.
 * With bit 1 of the first byte set, header checksums are fixed up first so
 * that mutations of header fields get past the checksum.
 * Seed with tars and compressed tars: CPOD_TAR_DUMP_DIR=dir test-tar writes
 * every blob the unit tests apply, in this target's input format.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/layer-apply.h"
#include "storage/layer-diff.h"
#include "storage/tar-reader.h"
#include "storage/tarsplit.h"
#include "util/fileutil.h"
#include "util/strbuf.h"

#define SENTINEL "sentinel\n"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct src {
        const uint8_t *p;
        size_t len, pos;
};

static ssize_t src_read(void *ud, void *buf, size_t len)
{
        struct src *s = ud;
        size_t n = s->len - s->pos;

        if (n > len)
                n = len;
        if (n > 4096) /* short reads, as from a network */
                n = 4096;
        memcpy(buf, s->p + s->pos, n);
        s->pos += n;
        return (ssize_t)n;
}

static ssize_t buf_read(void *ud, void *buf, size_t len, cpod_error_t *err)
{
        (void)err;
        struct src *s = ud;
        size_t n = s->len - s->pos < len ? s->len - s->pos : len;

        memcpy(buf, s->p + s->pos, n);
        s->pos += n;
        return (ssize_t)n;
}

static int sink(void *ud, const void *buf, size_t len)
{
        strbuf_add(ud, buf, len);
        return 0;
}

/* The temp dir must hold exactly "layer" and an intact "sentinel". */
static void check_outside(const char *root)
{
        char path[4096], got[64] = { 0 };
        DIR *d = opendir(root);
        struct dirent *de;
        int fd;

        if (!d)
                abort();
        while ((de = readdir(d)))
                if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && strcmp(de->d_name, "layer") &&
                    strcmp(de->d_name, "sentinel")) {
                        fprintf(stderr, "written outside the layer: %s/%s\n", root, de->d_name);
                        abort();
                }
        closedir(d);
        snprintf(path, sizeof(path), "%s/sentinel", root);
        fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 || read(fd, got, sizeof(got) - 1) < 0 || strcmp(got, SENTINEL) != 0)
                abort();
        close(fd);
}

/* The diff tar of what was extracted must be a tar our reader accepts. */
static void roundtrip(int layerfd)
{
        struct strbuf tar = STRBUF_INIT;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct tar_reader *r;
        const struct tar_entry *e;
        struct src s;
        int q;

        if (layer_diff_tar(layerfd, sink, &tar, &err) < 0) {
                cpod_error_clear(&err); /* e.g. a name too long to walk: fine */
                strbuf_release(&tar);
                return;
        }
        s = (struct src){ (const uint8_t *)tar.buf, tar.len, 0 };
        r = tar_reader_new(buf_read, &s);
        while ((q = tar_reader_next(r, &e, &err)) > 0)
                ;
        if (q < 0) {
                fprintf(stderr, "diff tar does not parse: %s\n", cpod_error_msg(&err));
                abort();
        }
        tar_reader_free(r);
        strbuf_release(&tar);
}

static uint64_t octal(const uint8_t *f, size_t n)
{
        uint64_t v = 0;

        for (size_t i = 0; i < n && f[i] >= '0' && f[i] <= '7'; i++)
                v = v << 3 | (uint64_t)(f[i] - '0');
        return v;
}

/* Walk the headers of a plain tar, rewriting each checksum. */
static void fix_checksums(uint8_t *t, size_t len)
{
        for (size_t off = 0; off + 512 <= len;) {
                uint8_t *h = t + off, type = h[156];
                unsigned sum = 0;
                uint64_t size = octal(h + 124, 12);

                memset(h + 148, ' ', 8);
                for (int i = 0; i < 512; i++)
                        sum += h[i];
                snprintf((char *)h + 148, 8, "%06o", sum);
                h[155] = ' ';
                if (type >= '1' && type <= '6')
                        size = 0;
                if (size > len)
                        break;
                off += 512 + (size + 511) / 512 * 512;
        }
}

static void run(const uint8_t *data, size_t size, const char *root, int layerfd)
{
        uint8_t *copy = malloc(size);
        struct src s = { copy + 1, size - 1, 0 };
        int tsfd = memfd_create("tarsplit", MFD_CLOEXEC);
        struct layer_apply_opts o = {
                .read = src_read,
                .userdata = &s,
                .target_dirfd = layerfd,
                .whiteouts = (data[0] & 1) ? LAYER_WHITEOUT_APPLY : LAYER_WHITEOUT_OVERLAY,
                .tarsplit_fd = tsfd,
                .max_size = 4 << 20,
        };
        struct layer_apply_result res;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct strbuf out = STRBUF_INIT;

        if (tsfd < 0 || !copy)
                abort();
        memcpy(copy, data, size);
        if (data[0] & 2)
                fix_checksums(copy + 1, size - 1);
        if (layer_apply(&o, &res, &err) < 0) {
                if (!err.msg || err.kind == CPOD_E_NONE)
                        abort(); /* a failure must say why */
        } else {
                (void)lseek(tsfd, 0, SEEK_SET);
                (void)tarsplit_assemble(tsfd, layerfd, sink, &out, res.diff_id, &err);
                if (out.len > res.size)
                        abort();
                roundtrip(layerfd);
        }
        check_outside(root);
        cpod_error_clear(&err);
        strbuf_release(&out);
        close(tsfd);
        free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        /* TMPDIR on a tmpfs makes the runs much faster. */
        const char *tmp = getenv("TMPDIR");
        char root[256], path[300];
        int fd, layerfd;

        snprintf(root, sizeof(root), "%s/cpod-fuzz-tar.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (size < 1 || !mkdtemp(root))
                return 0;
        snprintf(path, sizeof(path), "%s/sentinel", root);
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0 || write(fd, SENTINEL, strlen(SENTINEL)) < 0)
                abort();
        close(fd);
        snprintf(path, sizeof(path), "%s/layer", root);
        if (mkdir(path, 0755) < 0 || (layerfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
                abort();
        run(data, size, root, layerfd);
        close(layerfd);
        if (rm_rf(root, NULL) < 0)
                abort();
        return 0;
}
