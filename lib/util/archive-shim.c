/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libarchive, loaded on first use (only `import` of xz/bzip2/lz4-compressed
 * tarballs needs its decompression filters).  Linking it directly pulled
 * libxml2 and ICU into every cpod command's startup.  See dlshim.h.
 */
#include <archive.h>

#include "util/dlshim.h"
#include "util/shims.h"

static struct dlshim libarchive_shim = DLSHIM_INIT("libarchive.so.13", "needed for xz, bzip2 and lz4 tarballs");

int archive_shim_open(cpod_error_t *err)
{
        return dlshim_open(&libarchive_shim, err);
}

DLSHIM_FWD(libarchive_shim, struct archive *, archive_read_new, (void), (), NULL)
DLSHIM_FWD(libarchive_shim, int, archive_read_free, (struct archive * a), (a), ARCHIVE_FATAL)
DLSHIM_FWD(libarchive_shim, int, archive_read_support_filter_all, (struct archive * a), (a), ARCHIVE_FATAL)
DLSHIM_FWD(libarchive_shim, int, archive_read_support_format_raw, (struct archive * a), (a), ARCHIVE_FATAL)
DLSHIM_FWD(libarchive_shim, int, archive_read_open_fd, (struct archive * a, int fd, size_t block), (a, fd, block),
           ARCHIVE_FATAL)
DLSHIM_FWD(libarchive_shim, int, archive_read_next_header, (struct archive * a, struct archive_entry **e), (a, e),
           ARCHIVE_FATAL)
DLSHIM_FWD(libarchive_shim, la_ssize_t, archive_read_data, (struct archive * a, void *buf, size_t n), (a, buf, n),
           ARCHIVE_FATAL)
DLSHIM_FWD(libarchive_shim, const char *, archive_error_string, (struct archive * a), (a), NULL)
