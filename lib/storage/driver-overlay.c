/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The overlay driver: a layer's diff/ holds only its own changes; a
 * container layer (rw) is the upper dir of an overlay mount over its image's
 * layers, which are referenced through short links (<driver_dir>/l/<26
 * chars> -> ../<id>/diff) so the mount options fit in a page.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/driver.h"
#include "storage/layer-idmap.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/random.h"
#include "util/xalloc.h"

static int overlay_probe(cpod_error_t *err)
{
        FILE *f;
        char line[128];
        bool found = false;

        f = fopen("/proc/filesystems", "re");
        while (f && fgets(line, sizeof(line), f))
                if (strstr(line, "\toverlay\n"))
                        found = true;
        if (f)
                fclose(f);
        if (!found)
                return cpod_error_set(err, ENODEV, CPOD_E_NOT_SUPPORTED,
                                      "kernel does not support overlay fs: use --storage-driver vfs");
        return 0;
}

static int overlay_init(struct store *s, cpod_error_t *err)
{
        _cleanup_free_ char *links = path_join(s->driver_dir, "l");

        return mkdir_p(links, 0700, err);
}

static int overlay_skeleton(struct store *s, const char *dir, const char *parent, bool rw, cpod_error_t *err)
{
        _cleanup_free_ char *diff = path_join(dir, "diff");

        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                return cpod_error_sys(err, errno, "mkdir '%s'", dir);
        if (mkdir(diff, 0755) < 0)
                return cpod_error_sys(err, errno, "mkdir '%s'", diff);
        /* The merged root takes the upper layer's mode and owner: start from the parent's (an image whose
         * root is 555 gives containers a 555 root, as podman's). */
        if (parent && *parent) {
                _cleanup_free_ char *pdiff = xasprintf("%s/%s/diff", s->driver_dir, parent);
                struct stat st;
                if (stat(pdiff, &st) == 0 &&
                    (chown(diff, st.st_uid, st.st_gid) < 0 || chmod(diff, st.st_mode & 07777) < 0))
                        return cpod_error_sys(err, errno, "copying the attributes of '%s'", pdiff);
        }
        if (rw) {
                _cleanup_free_ char *work = path_join(dir, "work"), *merged = path_join(dir, "merged");
                if (mkdir(work, 0700) < 0 || mkdir(merged, 0700) < 0)
                        return cpod_error_sys(err, errno, "mkdir in '%s'", dir);
        }
        return 0;
}

/*
 * A container layer in a user namespace: the image layers stay as they are and are idmapped at
 * each mount (overlay_mount); the upper dir's root, which gives the merged root its owner, is
 * chowned now.  Checked here, so a kernel without idmapped mounts fails the create, not the start.
 */
static int overlay_idmap(struct store *s, const char *dir, const char *parent, const struct idmap *uids,
                         const struct idmap *gids, cpod_error_t *err)
{
        _cleanup_free_ char *diff = path_join(dir, "diff");
        _cleanup_free_ char *pdiff = parent && *parent ? xasprintf("%s/%s/diff", s->driver_dir, parent) : NULL;
        _cleanup_close_ int ns = -1;
        int r;

        if (pdiff) {
                if ((ns = idmap_userns_fd(uids, gids, err)) < 0)
                        return ns;
                if ((r = layer_idmap_probe(pdiff, ns, err)) < 0)
                        return r;
        }
        if ((r = layer_idmap_chown(diff, false, uids, gids, err)) < 0)
                return r;
        return layer_idmap_write(dir, uids, gids, err);
}

/* Undo idmapped_lowers: the overlay holds its own references to the layers. */
static void drop_lowers(char **lowers, int *fds)
{
        for (size_t i = 0; lowers && lowers[i]; i++)
                close(fds[i]);
        strv_free(lowers);
        free(fds);
}

/* Detached idmapped mounts of the image layers chain[1..], as lowerdir paths; 0 when not idmapped. */
static int idmapped_lowers(struct store *s, char **chain, char ***ret, int **ret_fds, cpod_error_t *err)
{
        _cleanup_free_ char *dir = xasprintf("%s/%s", s->driver_dir, chain[0]);
        size_t n = strv_length(chain);
        struct idmap u, g;
        char **lowers = xnew0(char *, 1);
        int *fds = xnew0(int, n), ns = -1, r;

        if ((r = layer_idmap_read(dir, &u, &g, err)) <= 0 || (r = ns = idmap_userns_fd(&u, &g, err)) < 0)
                goto out;
        for (size_t i = 1; chain[i]; i++) {
                _cleanup_free_ char *diff = xasprintf("%s/%s/diff", s->driver_dir, chain[i]);
                _cleanup_free_ char *path = NULL;
                if ((r = fds[i - 1] = layer_idmap_tree(diff, ns, err)) < 0)
                        goto out;
                path = xasprintf("/proc/self/fd/%d", fds[i - 1]);
                strv_add(&lowers, path);
        }
        r = 1;
out:
        if (ns >= 0)
                close(ns);
        idmap_clear(&u);
        idmap_clear(&g);
        if (r <= 0) {
                drop_lowers(lowers, fds);
                return r;
        }
        *ret = lowers;
        *ret_fds = fds;
        return 1;
}

/* Short link l/<26 chars> -> ../<id>/diff keeps overlay mount options short. */
static int overlay_publish(struct store *s, const char *id, char ret[27], cpod_error_t *err)
{
        static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        unsigned char b[26];
        _cleanup_free_ char *target = xasprintf("../%s/diff", id), *path = NULL, *linkf = NULL;

        random_bytes(b, sizeof(b));
        for (int i = 0; i < 26; i++)
                ret[i] = alphabet[b[i] & 31];
        ret[26] = '\0';
        path = xasprintf("%s/l/%s", s->driver_dir, ret);
        if (symlink(target, path) < 0)
                return cpod_error_sys(err, errno, "symlink '%s'", path);
        linkf = xasprintf("%s/%s/link", s->driver_dir, id);
        return write_file(linkf, ret, 26, 0644, err);
}

static void overlay_unpublish(struct store *s, const char *id)
{
        _cleanup_free_ char *linkf = xasprintf("%s/%s/link", s->driver_dir, id);
        _cleanup_free_ char *name = read_line_file(linkf), *path = NULL;

        if (!name || strchr(name, '/'))
                return;
        path = xasprintf("%s/l/%s", s->driver_dir, name);
        (void)unlink(path);
}

/* Drop short links whose layer is gone. */
static void overlay_repair(struct store *s)
{
        _cleanup_free_ char *ldir = path_join(s->driver_dir, "l");
        DIR *d = opendir(ldir);
        struct dirent *de;

        while (d && (de = readdir(d))) {
                struct stat st;
                if (de->d_name[0] == '.')
                        continue;
                if (fstatat(dirfd(d), de->d_name, &st, 0) < 0 && errno == ENOENT)
                        (void)unlinkat(dirfd(d), de->d_name, 0);
        }
        if (d)
                closedir(d);
}

static bool is_mountpoint(const char *path)
{
        struct statx stx;

        if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &stx) < 0)
                return false;
        return (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) && (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

static int link_of(struct store *s, const char *id, struct strbuf *out, cpod_error_t *err)
{
        _cleanup_free_ char *f = xasprintf("%s/%s/link", s->driver_dir, id), *name = read_line_file(f);

        if (!name || strlen(name) != 26 || strchr(name, '/'))
                return cpod_error_set(err, EIO, CPOD_E_CORRUPT, "layer %s has no valid short link", id);
        strbuf_addf(out, "%s/l/%s", s->driver_dir, name);
        return 0;
}

/* Build the overlay option string for layer chain[0] (top first). */
static int overlay_options(struct store *s, char **chain, char **lowers, bool rw, const char *extra, struct strbuf *o,
                           cpod_error_t *err)
{
        size_t start = rw ? 1 : 0;

        strbuf_addstr(o, "lowerdir=");
        if (rw && !chain[1]) {
                strbuf_addf(o, "%s/%s/empty", s->driver_dir, chain[0]);
        } else {
                for (size_t i = start; chain[i]; i++) {
                        if (i > start)
                                strbuf_addch(o, ':');
                        if (lowers)
                                strbuf_addstr(o, lowers[i - start]);
                        else if (link_of(s, chain[i], o, err) < 0)
                                return cpod_error_rc(err, -EIO);
                }
        }
        if (rw)
                strbuf_addf(o, ",upperdir=%s/%s/diff,workdir=%s/%s/work", s->driver_dir, chain[0], s->driver_dir,
                            chain[0]);
        /* Keep upper dirs in plain form: the diff/commit code can't read redirect or metacopy xattrs. */
        strbuf_addstr(o, ",redirect_dir=off,metacopy=off");
        if (extra && *extra)
                strbuf_addf(o, ",%s", extra);
        if (o->len >= 4096)
                return cpod_error_set(err, E2BIG, CPOD_E_NOT_SUPPORTED,
                                      "overlay mount options for layer %s exceed the page size (too many layers)",
                                      chain[0]);
        return 0;
}

/*
 * A volatile mount leaves work/work/incompat/volatile behind, and overlay
 * refuses to mount the layer again while it is there.  Only called when the
 * layer is not mounted: the upper dir is what the last mount left.
 */
static void clear_volatile_marker(struct store *s, const char *id)
{
        _cleanup_free_ char *incompat = xasprintf("%s/%s/work/work/incompat", s->driver_dir, id);

        if (path_exists(incompat))
                (void)rm_rf(incompat, NULL);
}

static int overlay_mount(struct store *s, const char *id, const char *target, const char *extra, cpod_error_t *err)
{
        _cleanup_strv_ char **chain = NULL;
        char **lowers = NULL;
        int *lower_fds = NULL;
        struct strbuf o = STRBUF_INIT;
        struct layer l;
        bool rw;
        int r, e;

        if (store_layer_get(s, id, &l, err) < 0 || store_layer_chain(s, id, &chain, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        rw = l.kind == LAYER_CONTAINER;
        layer_clear(&l);
        if (mkdir_p(target, 0700, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (rw && !chain[1]) {
                _cleanup_free_ char *empty = xasprintf("%s/%s/empty", s->driver_dir, id);
                if (mkdir(empty, 0700) < 0 && errno != EEXIST)
                        return cpod_error_sys(err, errno, "mkdir '%s'", empty);
        }
        if (!rw && !chain[1]) {
                /* A single read-only layer: overlay needs two lowers, a bind mount does the job. */
                _cleanup_free_ char *diff = store_layer_diff_dir(s, id);
                if (mount(diff, target, NULL, MS_BIND, NULL) < 0 ||
                    mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NODEV, NULL) < 0) {
                        r = cpod_error_sys(err, errno, "bind mount layer %s", id);
                        (void)umount2(target, MNT_DETACH);
                        return r;
                }
                return 0;
        }
        if (rw)
                clear_volatile_marker(s, id);
        if (rw && chain[1] && (r = idmapped_lowers(s, chain, &lowers, &lower_fds, err)) < 0)
                return r;
        if ((r = overlay_options(s, chain, lowers, rw, extra, &o, err)) < 0) {
                strbuf_release(&o);
                drop_lowers(lowers, lower_fds);
                return r;
        }
        e = mount("overlay", target, "overlay", MS_NODEV | (rw ? 0 : MS_RDONLY), o.buf) < 0 ? errno : 0;
        strbuf_release(&o);
        drop_lowers(lowers, lower_fds);
        /* Kernels before 5.10 don't know "volatile": it is only an optimisation. */
        if (e == EINVAL && extra && strcmp(extra, "volatile") == 0)
                return overlay_mount(s, id, target, NULL, err);
        return e ? cpod_error_sys(err, e, "mount overlay for layer %s", id) : 0;
}

static char *overlay_mountpoint(struct store *s, const char *id)
{
        return xasprintf("%s/%s/merged", s->driver_dir, id);
}

static int overlay_unmount(const char *target, cpod_error_t *err)
{
        if (umount2(target, 0) < 0 && umount2(target, MNT_DETACH) < 0)
                return cpod_error_sys(err, errno, "unmount '%s'", target);
        return 0;
}

const struct store_driver store_driver_overlay = {
        .name = "overlay",
        .layers_are_diffs = true,
        .whiteouts = LAYER_WHITEOUT_OVERLAY,
        .probe = overlay_probe,
        .init = overlay_init,
        .skeleton = overlay_skeleton,
        .idmap = overlay_idmap,
        .publish = overlay_publish,
        .unpublish = overlay_unpublish,
        .mountpoint = overlay_mountpoint,
        .is_mounted = is_mountpoint,
        .mount = overlay_mount,
        .unmount = overlay_unmount,
        .repair = overlay_repair,
};

const struct store_driver *store_driver_find(const char *name)
{
        static const struct store_driver *const all[] = { &store_driver_overlay, &store_driver_vfs };

        for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
                if (name && strcmp(all[i]->name, name) == 0)
                        return all[i];
        return NULL;
}
