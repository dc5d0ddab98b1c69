/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpod commit: the container's rw layer becomes a new image layer on top
 * of its image, with a config describing how the container was set up.
 *
 * The layer is the overlay upper dir as an OCI diff (whiteouts converted,
 * layer_diff_tar), spooled to an unnamed file of the store while it is
 * digested, then applied like any pulled layer (tar-split included, so
 * save/push reproduce the same diff ID).  --squash takes the whole mounted
 * rootfs as one layer instead.  The container's lock is held while its
 * layer is read, so it can't be removed or restarted meanwhile; --pause
 * freezes its processes first, so the layer doesn't change under us.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/container.h>

#include "ctr/ctr.h"
#include "ctr/userns.h"
#include "image/build.h"
#include "image/changes.h"
#include "image/image-internal.h"
#include "image/reference.h"
#include "runtime/lock.h"
#include "runtime/runtime-internal.h"
#include "storage/layer-diff.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/shims.h"
#include "util/xalloc.h"

struct spool {
        int fd;
        struct digester *d;
};

static int spool_write(void *ud, const void *buf, size_t len)
{
        struct spool *sp = ud;

        digester_update(sp->d, buf, len);
        return write_all(sp->fd, buf, len);
}

/* The layer tar: the upper dir's changes, or (squash) the whole mounted rootfs. */
static int make_layer(struct store *s, const struct ctr *c, bool squash, int *ret_fd, char diff_id[DIGEST_STR_MAX],
                      cpod_error_t *err)
{
        struct spool sp = { .fd = store_tmpfile(s, err) };
        _cleanup_free_ char *dir = NULL;
        _cleanup_close_ int dirfd = -1;
        int r;

        if (sp.fd < 0)
                return sp.fd;
        if ((r = crypto_shim_open(err)) < 0) {
                close(sp.fd);
                return r;
        }
        if (!squash && !store_layers_are_diffs(s)) {
                close(sp.fd);
                return cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED,
                                      "commit needs the overlay storage driver (this store uses %s); use --squash",
                                      store_driver_name(s));
        }
        if (squash && userns_enabled(&c->cfg)) {
                close(sp.fd);
                return cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED,
                                      "commit --squash of a container in a user namespace is not supported");
        }
        if (squash)
                r = store_layer_mount(s, c->layer_id, NULL, &dir, err);
        else /* as the container saw its files: without its ID mapping */
                r = dirfd = store_layer_diff_open(s, c->layer_id, err);
        if (r >= 0 && squash && (dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
                r = cpod_error_sys(err, errno, "open \"%s\"", dir);
        r = r < 0 ? r : 0;
        if (r == 0) {
                sp.d = digester_new();
                r = squash ? dir_tar(dirfd, spool_write, &sp, err) : layer_diff_tar(dirfd, spool_write, &sp, err);
                digester_final(sp.d, diff_id);
                digester_free(sp.d);
        }
        if (squash && dir)
                (void)store_layer_unmount(s, c->layer_id, false, NULL);
        if (r < 0) {
                close(sp.fd);
                return cpod_error_wrap(err, "reading the container's changes");
        }
        *ret_fd = sp.fd;
        return 0;
}

/* Replace or add KEY=VALUE. */
static void env_set(json_t *env, const char *kv)
{
        size_t klen = strcspn(kv, "="), i;
        json_t *e;

        json_array_foreach(env, i, e) {
                const char *s = json_string_value(e);
                if (s && strncmp(s, kv, klen) == 0 && s[klen] == '=') {
                        json_array_set_new(env, i, json_string(kv));
                        return;
                }
        }
        json_array_append_new(env, json_string(kv));
}

static void merge_env(json_t *env, json_t *from)
{
        json_t *e;
        size_t i;

        json_array_foreach(from, i, e)
                if (json_is_string(e))
                        env_set(env, json_string_value(e));
}

static void merge_env_strv(json_t *env, char *const *from)
{
        for (char *const *e = from; e && *e; e++)
                env_set(env, *e);
}

/*
 * The image config as podman derives it from the container: the image's,
 * then the container's environment (what its process got, less HOSTNAME
 * and HOME), command, entrypoint, working dir, user and labels.
 */
static json_t *config_from(struct cpod_runtime *rt, const struct ctr *c, json_t *imgcfg)
{
        json_t *cfg = imgcfg ? json_deep_copy(imgcfg) : json_object(), *env = json_array();
        const struct ctr_config *p = &c->cfg;
        const char *wd = p->working_dir, *user = p->user;

        env_set(env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env_set(env, "TERM=xterm");
        env_set(env, "container=podman");
        for (char **e = rt->config->env; e && *e; e++)
                env_set(env, *e);
        merge_env(env, json_object_get(imgcfg, "Env"));
        merge_env_strv(env, p->env);
        json_object_set_new(cfg, "Env", env);
        if (p->has_entrypoint) { /* --entrypoint replaces the image's and drops its Cmd */
                json_object_set_new(cfg, "Entrypoint", json_strv(p->entrypoint, -1));
                json_object_del(cfg, "Cmd");
        }
        if (p->command && p->command[0])
                json_object_set_new(cfg, "Cmd", json_strv(p->command, -1));
        if (wd && *wd)
                json_object_set_new(cfg, "WorkingDir", json_string(wd));
        else if (!json_get_str(cfg, "WorkingDir") || !*json_get_str(cfg, "WorkingDir"))
                json_object_set_new(cfg, "WorkingDir", json_string("/"));
        if (user && *user)
                json_object_set_new(cfg, "User", json_string(user));
        if (json_object_size(c->labels))
                json_object_set(cfg, "Labels", c->labels);
        return cfg;
}

static int commit_locked(struct cpod_runtime *rt, struct store *s, const struct ctr *c,
                         const struct cpod_commit_opts *o, char *const *names, char ret_id[65], cpod_error_t *err)
{
        _cleanup_json_ json_t *imgcfg = NULL, *cfg = NULL, *hist = json_pack("{s:s}", "created_by", "/bin/sh");
        struct image_build b = { .layer_fd = -1,
                                 .squash = o->squash,
                                 .docker = o->docker,
                                 .author = o->author,
                                 .comment = o->message,
                                 .container = c->id,
                                 .names = names };
        int r;

        if (c->image_id && *c->image_id) {
                b.parent_id = c->image_id;
                if (!(imgcfg = image_load_config(s, c->image_id, err)))
                        return cpod_error_rc(err, -ENOENT);
        }
        cfg = config_from(rt, c, json_object_get(imgcfg, "config"));
        if (image_apply_changes(cfg, o->changes, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        if (!o->docker) /* the OCI config has no ONBUILD (podman warns and drops it) */
                json_object_del(cfg, "OnBuild");
        if (o->author && *o->author)
                json_object_set_new(hist, "author", json_string(o->author));
        if (c->image_name && *c->image_name)
                json_object_set_new(hist, "comment", json_sprintf("FROM %s", c->image_name));
        b.config = cfg;
        b.history = hist;
        if (make_layer(s, c, o->squash, &b.layer_fd, b.diff_id, err) < 0)
                return cpod_error_rc(err, -EIO);
        r = image_build(s, &b, ret_id, err);
        close(b.layer_fd);
        return r;
}

static bool running(struct cpod_runtime *rt, const char *id)
{
        struct ctr c = { 0 };
        bool r;

        if (ctr_db_get(rt, id, &c, NULL) < 0)
                return false;
        ctr_reconcile_view(rt, &c);
        r = c.state == CPOD_CTR_RUNNING;
        ctr_clear(&c);
        return r;
}

int cpod_ctr_commit(struct cpod_runtime *rt, const char *name, const struct cpod_commit_opts *o, char ret_id[65],
                    cpod_error_t *err)
{
        _cleanup_free_ char *ref = NULL;
        char *names[2] = { NULL, NULL };
        struct ctr c = { 0 };
        struct store *s;
        char id[65];
        bool paused = false;
        int fd, r;

        if (o->message && *o->message && !o->docker)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "messages are only compatible with the docker image format (-f docker)");
        if (o->image && *o->image && !(ref = image_ref_normalize_local(o->image, err)))
                return cpod_error_wrap(err, "invalid image name \"%s\"", o->image);
        names[0] = ref;
        if (cpod_ctr_lookup(rt, name, id, err) < 0 || rt_store(rt, &s, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (o->pause && running(rt, id)) {
                if (cpod_ctr_pause(rt, id, err) < 0)
                        return cpod_error_wrap(err, "pausing container %s", name);
                paused = true;
        }
        fd = ctr_lock_load(rt, id, &c, err);
        if (fd < 0) {
                r = fd;
        } else {
                r = commit_locked(rt, s, &c, o, ref ? names : NULL, ret_id, err);
                ctr_clear(&c);
                obj_unlock(fd);
        }
        if (paused)
                (void)cpod_ctr_unpause(rt, id, NULL);
        return r;
}
