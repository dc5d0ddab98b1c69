/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Change lists (`cpod diff`, `cpod image diff`): a layer's own files
 * against the layers below it, in podman's shape.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/image.h>

#include "image/image-internal.h"
#include "storage/layer-diff.h"
#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

/*
 * What the engine itself puts in a container's rootfs (mount points for
 * its bind mounts and special filesystems): podman leaves these exact
 * paths out of change lists, and so do we.
 */
static const char *const init_inodes[] = { "/dev",         "/etc/hostname", "/etc/hosts",  "/etc/resolv.conf",
                                           "/proc",        "/run",          "/run/notify", "/run/.containerenv",
                                           "/run/secrets", "/sys",          "/etc/mtab",   NULL };

static int add_change(void *ud, char kind, const char *path)
{
        json_t *out = ud;
        int k = kind == 'C' ? 0 : kind == 'A' ? 1 : 2;

        for (const char *const *p = init_inodes; *p; p++)
                if (strcmp(path, *p) == 0)
                        return 0;
        json_array_append_new(out, json_pack("{s:s, s:i}", "Path", path, "Kind", k));
        return 0;
}

static void close_all(int *fds, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (fds[i] >= 0)
                        close(fds[i]);
        free(fds);
}

int image_layer_changes(struct store *s, const char *layer, json_t **ret, cpod_error_t *err)
{
        _cleanup_strv_ char **chain = NULL;
        _cleanup_json_ json_t *out = json_array();
        int *fds;
        size_t n;
        int r = 0;

        if (!store_layers_are_diffs(s))
                return cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED,
                                      "listing changes needs the overlay storage driver (this store uses %s)",
                                      store_driver_name(s));
        if (store_layer_chain(s, layer, &chain, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        n = strv_length(chain);
        fds = xnew0(int, n);
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *dir = store_layer_diff_dir(s, chain[i]);
                fds[i] = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (fds[i] < 0 && r == 0)
                        r = cpod_error_sys(err, errno, "open layer \"%s\"", chain[i]);
        }
        if (r == 0)
                r = layer_changes(fds[0], fds + 1, n - 1, add_change, out, err);
        close_all(fds, n);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(out);
        return 0;
}

int cpod_image_diff(struct cpod_runtime *rt, const char *name, json_t **ret, cpod_error_t *err)
{
        struct store *s;
        struct image_rec r = { 0 };
        char id[65];
        int rc;

        if (rt_store(rt, &s, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (image_lookup_store(s, name, id, err) < 0 || store_image_get(s, id, &r, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (r.top_layer)
                rc = image_layer_changes(s, r.top_layer, ret, err);
        else
                rc = (*ret = json_array()) ? 0 : -ENOMEM;
        image_rec_clear(&r);
        return rc;
}
