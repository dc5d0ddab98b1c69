/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --mount type=image,source=IMAGE,target=DIR[,rw=true]: another image's
 * filesystem inside the container.  At each start the image's top layer is
 * mounted through the store (a counted, read-only mount of its layers) and
 * bound at the target; with rw an overlay with a throwaway upper directory
 * in the bundle goes on top, so the container may write but the image never
 * changes (the writes are gone when the container stops, as podman's).
 * The layers mounted are listed in <bundle>/image-mounts and released with
 * the container's own rootfs (ctr_release_rootfs).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctr/ctr.h"
#include "ctr/spec.h"
#include "image/image-internal.h"
#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

static char *list_path(struct cpod_runtime *rt, const char *id)
{
        _cleanup_free_ char *bundle = ctr_bundle_dir(rt, id);

        return path_join(bundle, "image-mounts");
}

/* Note a mounted layer first, so a failure right after still releases it. */
static int note_layer(struct cpod_runtime *rt, const char *id, const char *layer, cpod_error_t *err)
{
        _cleanup_free_ char *path = list_path(rt, id), *line = xasprintf("%s\n", layer);
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

        if (fd < 0 || write_all(fd, line, strlen(line)) < 0)
                return cpod_error_sys(err, errno, "record image mount in %s", path);
        return 0;
}

int ctr_image_mount(struct cpod_runtime *rt, const struct ctr *c, json_t *m, unsigned idx, cpod_error_t *err)
{
        _cleanup_free_ char *image = xstrdup(json_get_str(m, "source")), *dst = xstrdup(json_get_str(m, "destination"));
        bool rw = json_is_true(json_object_get(m, "rw"));
        _cleanup_free_ char *path = NULL;
        struct image_rec img = { 0 };
        struct store *s;
        char id[65];
        int r;

        if (rt_store(rt, &s, err) < 0 || image_lookup_store(s, image, id, err) < 0 ||
            store_image_get(s, id, &img, err) < 0)
                return cpod_error_wrap(err, "--mount type=image,source=%s", image);
        r = img.top_layer ? note_layer(rt, c->id, img.top_layer, err)
                          : cpod_error_set(err, EINVAL, CPOD_E_INVALID, "image %s has no layers to mount", image);
        if (r == 0 && store_layer_mount(s, img.top_layer, NULL, &path, err) < 0)
                r = -EIO;
        image_rec_clear(&img);
        if (r < 0)
                return r;
        json_object_clear(m);
        json_object_set_new(m, "destination", json_string(dst));
        if (!rw) {
                json_object_set_new(m, "type", json_string("bind"));
                json_object_set_new(m, "source", json_string(path));
                json_object_set_new(m, "options", json_pack("[s, s, s]", "rbind", "ro", "rprivate"));
                return 0;
        }
        {
                _cleanup_free_ char *bundle = ctr_bundle_dir(rt, c->id), *top = xasprintf("%s/imgmnt-%u", bundle, idx);
                _cleanup_free_ char *upper = path_join(top, "upper"), *work = path_join(top, "work");
                (void)rm_rf(top, NULL);
                if (mkdir_p(upper, 0755, err) < 0 || mkdir_p(work, 0700, err) < 0)
                        return cpod_error_rc(err, -EIO);
                json_object_set_new(m, "type", json_string("overlay"));
                json_object_set_new(m, "source", json_string("overlay"));
                json_object_set_new(m, "options",
                                    json_pack("[s+, s+, s+]", "lowerdir=", path, "upperdir=", upper, "workdir=", work));
        }
        return 0;
}

void ctr_image_mounts_release(struct cpod_runtime *rt, const char *id)
{
        _cleanup_free_ char *path = list_path(rt, id), *buf = NULL, *bundle = ctr_bundle_dir(rt, id);
        _cleanup_strv_ char **layers = NULL;
        struct store *s;
        size_t len;

        if (read_file(path, &buf, &len, 1 << 20, NULL) < 0 || rt_store(rt, &s, NULL) < 0)
                return;
        layers = strv_split(buf, "\n");
        for (char **l = layers; *l; l++)
                if (**l && store_layer_mount_count(s, *l) > 0)
                        (void)store_layer_unmount(s, *l, false, NULL);
        (void)unlink(path);
        {
                DIR *d = opendir(bundle);
                struct dirent *de;
                while (d && (de = readdir(d))) {
                        _cleanup_free_ char *top = NULL;
                        if (strncmp(de->d_name, "imgmnt-", 7) != 0)
                                continue;
                        top = path_join(bundle, de->d_name);
                        (void)rm_rf(top, NULL);
                }
                if (d)
                        closedir(d);
        }
}

void ctr_release_rootfs(struct cpod_runtime *rt, struct ctr *c, bool force)
{
        struct store *s;

        ctr_image_mounts_release(rt, c->id);
        if (c->layer_id && rt_store(rt, &s, NULL) == 0)
                (void)store_layer_unmount(s, c->layer_id, force, NULL);
}
