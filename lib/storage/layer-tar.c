/* SPDX-License-Identifier: Apache-2.0 */
/* A layer's original tar, rebuilt byte for byte from its tar-split and files. */
#include "storage/store.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "storage/store-internal.h"
#include "storage/tarsplit.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/xalloc.h"

int store_layer_tar(struct store *s, const char *id, int (*write)(void *ud, const void *buf, size_t len), void *ud,
                    cpod_error_t *err)
{
        struct layer l;
        _cleanup_free_ char *dir = store_layer_dir(s, id), *diff = NULL, *ts = NULL;
        _cleanup_close_ int dfd = -1, tfd = -1;
        int r;

        if (store_layer_get(s, id, &l, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (!l.has_tarsplit) {
                layer_clear(&l);
                return cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED,
                                      "layer %s has no tar-split data to rebuild its tar", id);
        }
        diff = path_join(dir, "diff");
        ts = path_join(dir, "tar-split");
        dfd = open(diff, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        tfd = open(ts, O_RDONLY | O_CLOEXEC);
        if (dfd < 0 || tfd < 0)
                r = cpod_error_sys(err, errno, "open layer %s", id);
        else
                r = tarsplit_assemble(tfd, dfd, write, ud, l.diff_id, err);
        layer_clear(&l);
        if (r < 0)
                return cpod_error_wrap(err, "layer %s", id);
        return 0;
}
