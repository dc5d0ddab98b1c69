/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the k8s-file log reader (lib/ctr/logs.c): any file must read without
 * crashing, and --tail N must give N lines of a full read in its order, for every N.  The
 * input is also tried as a --since value.  Seed with tests/unit/data/logs/.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ctr/logs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct line {
        int64_t ts;
        char stream;
        bool nl;
        size_t len;
        char *msg;
};

struct lines {
        struct line *v;
        size_t n;
};

static int collect(void *ud, const struct log_line *l)
{
        struct lines *ls = ud;
        struct line *x;

        ls->v = realloc(ls->v, (ls->n + 1) * sizeof(*ls->v));
        if (!ls->v)
                abort();
        x = &ls->v[ls->n++];
        *x = (struct line){ l->ts_ns, l->stream, l->newline, l->len, malloc(l->len + 1) };
        if (!x->msg)
                abort();
        memcpy(x->msg, l->msg, l->len);
        return 0;
}

static bool same_line(const struct line *a, const struct line *b)
{
        return a->ts == b->ts && a->stream == b->stream && a->nl == b->nl && a->len == b->len &&
               memcmp(a->msg, b->msg, a->len) == 0;
}

static void lines_free(struct lines *ls)
{
        for (size_t i = 0; i < ls->n; i++)
                free(ls->v[i].msg);
        free(ls->v);
        ls->v = NULL;
        ls->n = 0;
}

static void read_lines(const char *path, long tail, struct lines *ls)
{
        struct log_read_opts o = LOG_READ_OPTS_INIT;
        cpod_error_t err = CPOD_ERROR_INIT;

        o.tail = tail;
        if (k8s_log_read(path, &o, collect, ls, &err) < 0)
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct lines all = { 0 }, t = { 0 };
        char path[64], *s;
        int fd = memfd_create("fuzz-logs", MFD_CLOEXEC);
        int64_t v;

        if (fd < 0 || write(fd, data, size) != (ssize_t)size)
                abort();
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
        read_lines(path, -1, &all);
        for (long n = 0; n <= (long)all.n + 1; n++) {
                size_t want = (size_t)n < all.n ? (size_t)n : all.n;

                read_lines(path, n, &t);
                if (t.n != want)
                        abort();
                /* The lines that ended latest, in the order of the full read: a subsequence of it. */
                for (size_t i = 0, j = 0; i < t.n; i++, j++) {
                        while (j < all.n && !same_line(&t.v[i], &all.v[j]))
                                j++;
                        if (j == all.n)
                                abort();
                }
                lines_free(&t);
        }
        lines_free(&all);
        close(fd);

        s = strndup((const char *)data, size);
        if (!s)
                abort();
        (void)log_parse_time(s, 1700000000000000000LL, &v, NULL);
        (void)log_parse_until(s, 1700000000000000000LL, &v, NULL);
        free(s);
        return 0;
}
