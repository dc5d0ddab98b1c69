/* SPDX-License-Identifier: Apache-2.0 */
/*
 * layer-read: the CPU part of applying a layer, without the filesystem.  A
 * blob file goes through the same pipeline as a pulled or loaded layer
 * (layer_stream: blob digest, decompression, diff ID digest; tar_reader:
 * every header, every payload read in LA_BUF pieces) and nothing is written.
 * Built with -Dbench=true; bench/layer-apply.sh runs it under callgrind,
 * whose instruction counts repeat even on a busy machine.
 *
 *   layer-read BLOB [RUNS]
 *
 * Prints the digests, sizes and entry count, and the fastest wall time of
 * RUNS passes (default 1) on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "storage/layer-apply-private.h"
#include "storage/layer-stream.h"
#include "storage/tar-reader.h"

static ssize_t fd_read(void *userdata, void *buf, size_t len)
{
        ssize_t n = read(*(int *)userdata, buf, len);

        return n < 0 ? -errno : n;
}

static ssize_t stream_read(void *userdata, void *buf, size_t len, cpod_error_t *err)
{
        return layer_stream_read(userdata, buf, len, err);
}

static double now(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One pass over the blob; prints the result when print is set.  0 or < 0 (err set). */
static int pass(const char *path, bool print, cpod_error_t *err)
{
        static char buf[LA_BUF];
        char dc[DIGEST_STR_MAX], dt[DIGEST_STR_MAX];
        uint64_t csize, size, entries = 0;
        enum layer_compression comp;
        const struct tar_entry *e;
        struct layer_stream *s;
        struct tar_reader *r;
        int fd = open(path, O_RDONLY | O_CLOEXEC), q;
        ssize_t n = 0;

        if (fd < 0)
                return cpod_error_sys(err, errno, "open '%s'", path);
        s = layer_stream_new(fd_read, &fd, UINT64_MAX);
        r = tar_reader_new(stream_read, s);
        while ((q = tar_reader_next(r, &e, err)) > 0) {
                entries++;
                while ((n = tar_reader_read(r, buf, sizeof(buf), err)) > 0)
                        ;
                if (n < 0)
                        break;
        }
        if (q == 0 && n >= 0 && tar_reader_drain(r, err) < 0)
                q = -EIO;
        if (q == 0 && n >= 0) {
                layer_stream_result(s, dc, dt, &csize, &size, &comp);
                if (print)
                        printf("compression %d\ndigest %s\ndiff_id %s\ncompressed %llu\nsize %llu\nentries %llu\n",
                               (int)comp, dc, dt, (unsigned long long)csize, (unsigned long long)size,
                               (unsigned long long)entries);
        }
        tar_reader_free(r);
        layer_stream_free(s);
        close(fd);
        return q < 0 || n < 0 ? -EIO : 0;
}

int main(int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        int runs = argc > 2 ? atoi(argv[2]) : 1;
        double best = 0;

        if (argc < 2 || runs < 1) {
                fprintf(stderr, "usage: layer-read BLOB [RUNS]\n");
                return 2;
        }
        for (int i = 0; i < runs; i++) {
                double t0 = now(), t;

                if (pass(argv[1], i == 0, &err) < 0) {
                        fprintf(stderr, "Error: %s\n", cpod_error_msg(&err));
                        return 1;
                }
                t = now() - t0;
                if (i == 0 || t < best)
                        best = t;
        }
        fprintf(stderr, "best of %d: %.3f s\n", runs, best);
        return 0;
}
