/* SPDX-License-Identifier: Apache-2.0 */
/* Unnamed temporary files on the store's filesystem, for data too big for memory or tmpfs. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "storage/store.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

int store_tmpfile(struct store *s, cpod_error_t *err)
{
        _cleanup_free_ char *dir = xasprintf("%s/tmp", s->graphroot);
        _cleanup_free_ char *tmpl = NULL;
        int fd = open(dir, O_RDWR | O_TMPFILE | O_CLOEXEC, 0600);

        if (fd >= 0)
                return fd;
        /* No O_TMPFILE on this filesystem: a named file, unlinked at once (nothing left after a crash). */
        tmpl = xasprintf("%s/cpod-XXXXXX", dir);
        fd = mkostemp(tmpl, O_CLOEXEC);
        if (fd < 0)
                return cpod_error_sys(err, errno, "create a temporary file in \"%s\"", dir);
        (void)unlink(tmpl);
        return fd;
}
