/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpod create: a record plus a read-write layer.  The layer is made
 * first and the record second, so a crash never leaves a record without
 * its layer; a layer left without a record is removed by
 * `container prune`/`system prune` and by the next create.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/container.h>
#include <cpod/image.h>

#include "ctr/ctr.h"
#include "ctr/health.h"
#include "ctr/ctr-net.h"
#include "ctr/ctr-secrets.h"
#include "ctr/ns-modes.h"
#include "ctr/sdnotify.h"
#include "ctr/spec.h"
#include "ctr/userns.h"
#include "image/image-internal.h"
#include "runtime/lock.h"
#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/failpoint.h"
#include "util/fileutil.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/random-name.h"
#include "util/random.h"
#include "util/xalloc.h"
#include "volume/volume.h"

static char *generate_name(struct cpod_runtime *rt)
{
        for (int attempt = 0; attempt < 64; attempt++) {
                char *n = random_name();
                if (!ctr_db_name_taken(rt, n))
                        return n;
                free(n);
        }
        {
                char id[65];
                random_id(id);
                return xasprintf("cpod_%.12s", id);
        }
}

static int check_name(const char *n, cpod_error_t *err)
{
        if (!n[0] || !isalnum((unsigned char)n[0]))
                goto bad;
        for (const char *p = n; *p; p++)
                if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.' && *p != '-')
                        goto bad;
        return 0;
bad:
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                              "container name \"%s\" is invalid: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: "
                              "invalid argument",
                              n);
}

/* Labels: the image's, then the user's over them. */
static json_t *merged_labels(const struct ctr_config *cfg, json_t *imgcfg)
{
        json_t *l = json_object(), *v;
        const char *k;

        json_object_foreach(json_object_get(imgcfg, "Labels"), k, v)
                json_object_set(l, k, v);
        json_object_update(l, cfg->labels);
        return l;
}

static bool name_matches(const char *stored, const char *given)
{
        size_t sl = strlen(stored), gl = strlen(given);

        if (strcmp(stored, given) == 0)
                return true;
        return sl > gl && strcmp(stored + sl - gl, given) == 0 && stored[sl - gl - 1] == '/';
}

/* The name the user should see: the stored name they meant, else the image's first name, else its ID. */
static char *image_display_name(struct store *s, const char *given, const char *id)
{
        struct image_rec r;
        _cleanup_free_ char *tagged = strchr(strrchr(given, '/') ? strrchr(given, '/') : given, ':')
                                              ? xstrdup(given)
                                              : xasprintf("%s:latest", given);
        char *res = NULL;

        if (store_image_get(s, id, &r, NULL) < 0)
                return xstrdup(given);
        for (char **n = r.names; n && *n && !res; n++)
                if (name_matches(*n, given) || name_matches(*n, tagged))
                        res = xstrdup(*n);
        if (!res)
                res = xstrdup(r.names && r.names[0] ? r.names[0] : id);
        image_rec_clear(&r);
        return res;
}

static int write_cidfile(const char *path, const char *id, cpod_error_t *err)
{
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

        if (fd < 0) {
                if (errno == EEXIST)
                        return cpod_error_set(err, EEXIST, CPOD_E_INVALID,
                                              "container id file exists. Ensure "
                                              "another container is not using it or delete %s",
                                              path);
                return cpod_error_sys(err, errno, "opening cidfile %s", path);
        }
        return write_all(fd, id, strlen(id)) < 0 ? cpod_error_sys(err, errno, "write cidfile %s", path) : 0;
}

/* Every check a new container's config gets, with podman's errors: nothing bad reaches the runtime. */
static int check_config(struct cpod_runtime *rt, struct ctr_config *cfg, cpod_error_t *err)
{
        int r;

        if (cfg->name && *cfg->name && (r = check_name(cfg->name, err)) < 0)
                return r;
        if (cfg->name && *cfg->name && ctr_db_name_taken(rt, cfg->name))
                return cpod_error_set(err, EEXIST, CPOD_E_EXISTS,
                                      "creating container storage: the container name \"%s\" is already in use by "
                                      "another container. You have to remove that container to be able to reuse "
                                      "that name: that name is already in use",
                                      cfg->name);
        if ((r = ctr_sdnotify_check(cfg, err)) < 0)
                return r;
        for (char **e = cfg->env; e && *e; e++)
                if (!ctr_config_env_ok(*e))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid environment variable: \"%s\"", *e);
        if ((r = spec_etc_check(rt, cfg, err)) < 0 || (r = ctr_log_check(cfg, err)) < 0 ||
            (r = spec_resources_check(rt, cfg, err)) < 0 || (r = spec_devices_check(cfg, err)) < 0 ||
            (r = spec_mounts_check(rt, cfg, err)) < 0 || (r = spec_groups_check(cfg->group_add, err)) < 0 ||
            (r = ns_modes_check(rt, cfg, err)) < 0 || (r = userns_check(rt, cfg, err)) < 0 ||
            (r = spec_sysctl_check(cfg, err)) < 0 || (r = ctr_secrets_resolve(rt, cfg, err)) < 0)
                return r;
        return 0;
}

/* The image's config, or an empty one for a pod's infra that runs catatonit without an image. */
static int image_of(struct store *s, const struct ctr_config *cfg, char img_id[65], json_t **ret, cpod_error_t *err)
{
        int r;

        img_id[0] = '\0';
        if (cfg->is_infra && (!cfg->image || !*cfg->image)) {
                *ret = json_object();
                return 0;
        }
        if (!cfg->image || !*cfg->image)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "an image is required to create a container");
        if ((r = image_lookup_store(s, cfg->image, img_id, err)) < 0)
                return r;
        if (!(*ret = image_load_config(s, img_id, err)))
                return cpod_error_rc(err, -EIO);
        return 0;
}

/* The record: checked config (moved from cfg), names, what runs, labels. */
static int fill_record(struct cpod_runtime *rt, struct store *s, struct ctr_config *cfg, struct ctr *c,
                       cpod_error_t *err)
{
        char img_id[65];
        _cleanup_json_ json_t *config = NULL;
        json_t *imgcfg;
        int r;

        if ((r = image_of(s, cfg, img_id, &config, err)) < 0)
                return r;
        imgcfg = json_object_get(config, "config");
        /* containers.conf's volumes go to every container but a pod's infra */
        for (char **v = rt->config->volumes; v && *v && !cfg->is_infra; v++)
                strv_add(&cfg->volumes, *v);
        if ((r = ctr_volumes_plan(rt, cfg, imgcfg, err)) < 0 || (r = check_config(rt, cfg, err)) < 0)
                return r;
        if ((r = ctr_net_check(rt, cfg, imgcfg, err)) < 0 || (r = ctr_health_resolve(cfg, imgcfg, err)) < 0)
                return r;
        free(cfg->oci_runtime);
        cfg->oci_runtime = xstrdup(rt->requested_runtime ? rt->requested_runtime : rt->oci.name);
        strv_free(cfg->effective_command);
        cfg->effective_command = ctr_config_command(cfg, imgcfg);
        if (!cfg->effective_command[0])
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "no command or entrypoint provided, and no CMD or ENTRYPOINT from image");
        if (!cfg->stop_signal && json_get_str(imgcfg, "StopSignal"))
                cfg->stop_signal = xstrdup(json_get_str(imgcfg, "StopSignal"));
        random_id(c->id);
        c->name = cfg->name && *cfg->name ? xstrdup(cfg->name) : generate_name(rt);
        c->pod_id = xstrdup(cfg->pod);
        c->image_id = img_id[0] ? xstrdup(img_id) : NULL;
        c->image_name = img_id[0] ? image_display_name(s, cfg->image, img_id) : xstrdup("");
        c->created = now_ns();
        c->command = strv_join(cfg->effective_command, " ");
        c->labels = merged_labels(cfg, imgcfg);
        c->state = CPOD_CTR_CONFIGURED;
        c->cfg = *cfg;
        memset(cfg, 0, sizeof(*cfg));
        return 0;
}

/* The volumes the record names are made in the same lock as the record: a volume rm waits. */
static int insert_with_volumes(struct cpod_runtime *rt, struct ctr *c, cpod_error_t *err)
{
        _cleanup_strv_ char **made = NULL;
        int lock, r;

        if (!json_array_size(c->cfg.named_volumes))
                return ctr_db_insert(rt, c, err);
        if ((lock = vol_lock(rt, err)) < 0)
                return lock;
        r = ctr_volumes_make(rt, &c->cfg, &made, err);
        if (r == 0 && (r = ctr_db_insert(rt, c, err)) < 0)
                ctr_volumes_unmake(rt, made);
        obj_unlock(lock);
        return r;
}

/* Insert the record; a generated name that another create took meanwhile is drawn again. */
static int insert_record(struct cpod_runtime *rt, struct ctr *c, cpod_error_t *err)
{
        bool generated = !(c->cfg.name && *c->cfg.name);
        int r;

        for (int attempt = 0;; attempt++) {
                r = insert_with_volumes(rt, c, err);
                if (r == 0 || !generated || attempt >= 16 || err->kind != CPOD_E_EXISTS)
                        return r;
                cpod_error_clear(err);
                free(c->name);
                c->name = generate_name(rt);
        }
}

/* The read-write layer, seen through the container's user namespace when it has one. */
static int create_layer(struct store *s, const struct ctr_config *cfg, const char *parent, const char *layer,
                        cpod_error_t *err)
{
        struct idmap u = { 0 }, g = { 0 };
        int r = userns_maps(cfg, &u, &g, err);

        if (r == 0)
                r = store_layer_create_rw(s, parent, layer, &u, &g, err);
        idmap_clear(&u);
        idmap_clear(&g);
        return r;
}

int ctr_create(struct cpod_runtime *rt, struct ctr_config *cfg, char ret_id[65], cpod_error_t *err)
{
        struct store *s;
        struct ctr c = { 0 };
        struct image_rec img = { 0 };
        char layer[65];
        bool recorded = false;
        int r, intent = -1;

        if ((r = rt_store(rt, &s, err)) < 0)
                return r;
        ctr_gc_interrupted_creates(rt);
        r = fill_record(rt, s, cfg, &c, err);
        if (r == 0 && c.image_id)
                r = store_image_get(s, c.image_id, &img, err);
        if (r == 0) {
                /* From here until the record is committed, the marker says whose layer this is. */
                random_id(layer);
                r = intent = create_intent_begin(rt, layer, err);
        }
        if (r >= 0 && (r = userns_allocate(rt, &c.cfg, layer, err)) == 0 &&
            (r = failpoint("ctr-create-before-layer", err)) == 0)
                r = create_layer(s, &c.cfg, img.top_layer, layer, err);
        if (r == 0) {
                c.layer_id = xstrdup(layer);
                r = failpoint("ctr-create-before-record", err);
                if (r == 0)
                        r = insert_record(rt, &c, err);
                if (r < 0)
                        (void)store_layer_delete(s, layer, NULL);
                else /* killed here, the marker outlives a record that took the layer: kept */
                        r = failpoint("ctr-create-after-record", err), recorded = true;
        }
        if (r < 0 && intent >= 0 && !recorded) /* auto's ranges go with a failed create */
                userns_release(rt, layer);
        if (intent >= 0)
                create_intent_end(rt, layer, intent);
        if (r == 0)
                ctr_event(rt, &c, "create");
        if (r == 0 && c.cfg.cid_file && *c.cfg.cid_file && write_cidfile(c.cfg.cid_file, c.id, err) < 0) {
                cpod_error_t ignore = CPOD_ERROR_INIT;
                (void)cpod_ctr_remove(rt, c.id, &(struct cpod_rm_opts){ .force = true, .timeout = 0 }, &ignore);
                cpod_error_clear(&ignore);
                r = -EEXIST;
        }
        if (r == 0)
                memcpy(ret_id, c.id, 65);
        image_rec_clear(&img);
        ctr_clear(&c);
        return r;
}
