/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libarchive, loaded on first use (only `import` of xz/bzip2/lz4-compressed
 * tarballs needs its decompression filters).  Linking it directly pulled
 * libxml2 and ICU into every cpod command's startup.  Same scheme as
 * curl-shim.c: stand-ins that dlopen("libarchive.so.13") and forward.
 */
#include <archive.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static void *lib;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
        lib = dlopen("libarchive.so.13", RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
                fprintf(stderr, "Error: cannot load libarchive: %s\n", dlerror());
                abort();
        }
}

static void *sym(const char *name)
{
        void *p;

        pthread_once(&once, load);
        if (!(p = dlsym(lib, name))) {
                fprintf(stderr, "Error: libarchive lacks %s\n", name);
                abort();
        }
        return p;
}

#define FWD(ret, name, params, args)                                                                                   \
        ret name params                                                                                                \
        {                                                                                                              \
                static ret(*real) params;                                                                              \
                if (!real)                                                                                             \
                        real = (ret(*) params)sym(#name);                                                              \
                return real args;                                                                                      \
        }

FWD(struct archive *, archive_read_new, (void), ())
FWD(int, archive_read_free, (struct archive * a), (a))
FWD(int, archive_read_support_filter_all, (struct archive * a), (a))
FWD(int, archive_read_support_format_raw, (struct archive * a), (a))
FWD(int, archive_read_open_fd, (struct archive * a, int fd, size_t block), (a, fd, block))
FWD(int, archive_read_next_header, (struct archive * a, struct archive_entry **e), (a, e))
FWD(la_ssize_t, archive_read_data, (struct archive * a, void *buf, size_t n), (a, buf, n))
FWD(const char *, archive_error_string, (struct archive * a), (a))
