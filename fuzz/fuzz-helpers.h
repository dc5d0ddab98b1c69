/* SPDX-License-Identifier: Apache-2.0 */
/* Small helpers the fuzz targets share: a private scratch directory and input splitting. */
#ifndef CPOD_FUZZ_HELPERS_H
#define CPOD_FUZZ_HELPERS_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/fileutil.h"
#include "util/xalloc.h"

/* A directory private to this fuzzing process, made once; removed at exit. */
static char *fuzz_scratch_dir;

static void fuzz_scratch_cleanup(void)
{
        if (fuzz_scratch_dir)
                (void)rm_rf(fuzz_scratch_dir, NULL);
}

static inline const char *fuzz_scratch(void)
{
        if (!fuzz_scratch_dir) {
                char tmpl[] = "/tmp/cpod-fuzz.XXXXXX";
                if (!mkdtemp(tmpl))
                        abort();
                fuzz_scratch_dir = xstrdup(tmpl);
                atexit(fuzz_scratch_cleanup);
        }
        return fuzz_scratch_dir;
}

/* Write data to scratch/name; returns the path (caller frees). */
static inline char *fuzz_write(const char *name, const void *data, size_t len)
{
        char *p = path_join(fuzz_scratch(), name);

        if (write_file(p, data, len, 0600, NULL) < 0)
                abort();
        return p;
}

/* The n-th part of data split at NUL bytes (a copy, NUL-terminated; "" when there are fewer parts). */
static inline char *fuzz_part(const uint8_t *data, size_t size, int n)
{
        size_t start = 0;

        for (int i = 0; i < n; i++) {
                const uint8_t *z = memchr(data + start, 0, size - start);
                if (!z)
                        return xstrdup("");
                start = (size_t)(z - data) + 1;
        }
        {
                const uint8_t *z = memchr(data + start, 0, size - start);
                size_t end = z ? (size_t)(z - data) : size;
                return xstrndup((const char *)data + start, end - start);
        }
}

#endif
