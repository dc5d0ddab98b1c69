/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The vfs driver: every layer is a full copy of its parent plus its own
 * changes, so nothing is ever mounted.  Slow and large, but works on any
 * file system (and where overlay is not available).
 */
#include <errno.h>
#include <sys/stat.h>

#include "storage/driver.h"
#include "storage/layer-idmap.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/exec.h"
#include "util/fileutil.h"
#include "util/strbuf.h"

static int vfs_probe(cpod_error_t *err)
{
        return 0;
}

static int vfs_init(struct store *s, cpod_error_t *err)
{
        return 0;
}

/* cp -a: a vfs layer starts as a full copy of its parent. */
static int copy_tree(const char *from, const char *to, cpod_error_t *err)
{
        const char *argv[] = { "cp", "-a", "--reflink=auto", "--", from, to, NULL };
        struct strbuf errout = STRBUF_INIT;
        int r = run_capture(argv, NULL, NULL, &errout, err);

        if (r > 0) {
                strbuf_trim(&errout);
                r = cpod_error_set(err, EIO, CPOD_E_INTERNAL, "copy layer '%s': %s", from, errout.buf);
        }
        strbuf_release(&errout);
        return r;
}

static int vfs_skeleton(struct store *s, const char *dir, const char *parent, bool rw, cpod_error_t *err)
{
        _cleanup_free_ char *diff = path_join(dir, "diff");
        _cleanup_free_ char *pdiff = parent ? store_layer_diff_dir(s, parent) : NULL;

        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                return cpod_error_sys(err, errno, "mkdir '%s'", dir);
        if (pdiff)
                return copy_tree(pdiff, diff, err);
        return mkdir(diff, 0755) < 0 ? cpod_error_sys(err, errno, "mkdir '%s'", diff) : 0;
}

/* vfs copied the image for the container: the copy is chowned, once, at create. */
static int vfs_idmap(struct store *s, const char *dir, const char *parent, const struct idmap *uids,
                     const struct idmap *gids, cpod_error_t *err)
{
        _cleanup_free_ char *diff = path_join(dir, "diff");

        (void)s;
        (void)parent;
        if (layer_idmap_chown(diff, true, uids, gids, err) < 0)
                return cpod_error_rc(err, -EIO);
        return layer_idmap_write(dir, uids, gids, err); /* for what reads the layer back (commit) */
}

static int vfs_publish(struct store *s, const char *id, char ret_link[27], cpod_error_t *err)
{
        ret_link[0] = '\0';
        return 0;
}

static void vfs_unpublish(struct store *s, const char *id)
{
}

static bool vfs_is_mounted(const char *target)
{
        return true;
}

static int vfs_mount(struct store *s, const char *id, const char *target, const char *extra, cpod_error_t *err)
{
        return 0;
}

static int vfs_unmount(const char *target, cpod_error_t *err)
{
        return 0;
}

static void vfs_repair(struct store *s)
{
}

const struct store_driver store_driver_vfs = {
        .name = "vfs",
        .layers_are_diffs = false,
        .whiteouts = LAYER_WHITEOUT_APPLY,
        .probe = vfs_probe,
        .init = vfs_init,
        .skeleton = vfs_skeleton,
        .idmap = vfs_idmap,
        .publish = vfs_publish,
        .unpublish = vfs_unpublish,
        .mountpoint = store_layer_diff_dir,
        .is_mounted = vfs_is_mounted,
        .mount = vfs_mount,
        .unmount = vfs_unmount,
        .repair = vfs_repair,
};
