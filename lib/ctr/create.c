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
#include "ctr/ns-modes.h"
#include "ctr/pod-link.h"
#include "ctr/spec.h"
#include "image/image-internal.h"
#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/failpoint.h"
#include "util/fileutil.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/random.h"
#include "util/xalloc.h"

static const char *const adjectives[] = {
        "admiring", "agile",      "amazing",  "bold",     "brave",    "bright",  "calm",    "clever",  "cool",
        "crazy",    "eager",      "elated",   "epic",     "fervent",  "festive", "focused", "gallant", "gifted",
        "happy",    "hopeful",    "jolly",    "keen",     "kind",     "lucid",   "magical", "modest",  "nifty",
        "nimble",   "optimistic", "peaceful", "quirky",   "relaxed",  "serene",  "sharp",   "stoic",   "sweet",
        "tender",   "upbeat",     "vibrant",  "wizardly", "youthful", "zealous",
};
static const char *const nouns[] = {
        "agnesi",   "babbage", "bohr",     "curie",   "darwin",   "dijkstra", "einstein", "euler",
        "fermat",   "feynman", "galileo",  "gauss",   "hopper",   "hypatia",  "kepler",   "knuth",
        "lamarr",   "leakey",  "lovelace", "maxwell", "meitner",  "newton",   "noether",  "pascal",
        "poincare", "ritchie", "shannon",  "tesla",   "thompson", "torvalds", "turing",   "wozniak",
};

static char *generate_name(struct cpod_runtime *rt)
{
        for (int attempt = 0; attempt < 64; attempt++) {
                unsigned r[2];
                char *n;
                random_bytes(r, sizeof(r));
                n = xasprintf("%s_%s", adjectives[r[0] % (sizeof(adjectives) / sizeof(adjectives[0]))],
                              nouns[r[1] % (sizeof(nouns) / sizeof(nouns[0]))]);
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

/* Display command: the args the container will run, quoted where needed. */
static char *display_command(json_t *params, json_t *imgcfg)
{
        json_t *ep = json_is_array(json_object_get(params, "Entrypoint")) ? json_object_get(params, "Entrypoint")
                                                                          : json_object_get(imgcfg, "Entrypoint");
        json_t *cmd = json_array_size(json_object_get(params, "Command"))    ? json_object_get(params, "Command")
                      : json_is_array(json_object_get(params, "Entrypoint")) ? NULL
                                                                             : json_object_get(imgcfg, "Cmd");
        json_t *all = json_array(), *e;
        size_t i;

        json_array_foreach(ep, i, e)
                json_array_append(all, e);
        json_array_foreach(cmd, i, e)
                json_array_append(all, e);
        json_object_set_new(params, "EffectiveCommand", all);
        {
                _cleanup_strv_ char **v = json_to_strv(all);
                return strv_join(v, " ");
        }
}

/* Labels: the image's, then the user's over them. */
static json_t *merged_labels(json_t *params, json_t *imgcfg)
{
        json_t *l = json_object(), *v;
        const char *k;

        json_object_foreach(json_object_get(imgcfg, "Labels"), k, v)
                json_object_set(l, k, v);
        json_object_foreach(json_object_get(params, "Labels"), k, v)
                json_object_set(l, k, v);
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

/* The pod exists; a member (params) that joins the pod's network cannot set its own hosts or DNS. */
static int check_pod(struct cpod_runtime *rt, const char *pod_id, const json_t *params, cpod_error_t *err)
{
        struct pod_link p;
        int r = 0;

        if (pod_link_load(rt, pod_id, &p, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (p.infra_id && pod_link_shares(&p, "net") && spec_etc_has_net(params))
                r = cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                   "invalid config provided: extra host entries and DNS must be specified on the pod: "
                                   "network cannot be configured when it is shared with a pod");
        pod_link_clear(&p);
        return r;
}

static int fill_record(struct cpod_runtime *rt, struct store *s, json_t *params, struct ctr *c, cpod_error_t *err)
{
        const char *image = json_get_str(params, "Image"), *name = json_get_str(params, "Name");
        char img_id[65];
        _cleanup_json_ json_t *config = NULL;
        json_t *imgcfg;

        bool infra = json_is_true(json_object_get(params, "IsInfra"));

        /* A pod's infra runs catatonit bound into an empty rootfs: no image needed. */
        if (infra && (!image || !*image)) {
                img_id[0] = '\0';
                config = json_object();
        } else {
                if (!image || !*image)
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "an image is required to create a container");
                if (image_lookup_store(s, image, img_id, err) < 0)
                        return cpod_error_rc(err, -ENOENT);
                if (!(config = image_load_config(s, img_id, err)))
                        return cpod_error_rc(err, -EIO);
        }
        imgcfg = json_object_get(config, "config");
        if (name && *name && check_name(name, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        if (name && *name && ctr_db_name_taken(rt, name))
                return cpod_error_set(err, EEXIST, CPOD_E_EXISTS,
                                      "creating container storage: the container name \"%s\" is already in use by "
                                      "another container. You have to remove that container to be able to reuse "
                                      "that name: that name is already in use",
                                      name);
        if (spec_etc_check(rt, params, err) < 0 || ctr_log_check(params, err) < 0 ||
            spec_resources_check(rt, params, err) < 0 || spec_devices_check(params, err) < 0 ||
            ns_modes_check(rt, params, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        if (json_get_str(params, "Pod") && check_pod(rt, json_get_str(params, "Pod"), infra ? NULL : params, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        random_id(c->id);
        c->name = name && *name ? xstrdup(name) : generate_name(rt);
        c->pod_id = xstrdup(json_get_str(params, "Pod"));
        c->image_id = img_id[0] ? xstrdup(img_id) : NULL;
        c->image_name = img_id[0] ? image_display_name(s, image, img_id) : xstrdup("");
        c->created = now_ns();
        c->config = json_deep_copy(params);
        c->command = display_command(c->config, imgcfg);
        c->labels = merged_labels(params, imgcfg);
        c->state = CPOD_CTR_CONFIGURED;
        if (!json_get_str(c->config, "StopSignal") && json_get_str(imgcfg, "StopSignal"))
                json_object_set_new(c->config, "StopSignal", json_string(json_get_str(imgcfg, "StopSignal")));
        return 0;
}

int cpod_ctr_create(struct cpod_runtime *rt, json_t *params, char ret_id[65], cpod_error_t *err)
{
        struct store *s;
        struct ctr c = { 0 };
        struct image_rec img = { 0 };
        char layer[65];
        const char *cidfile = json_get_str(params, "CidFile");
        int r;

        if (rt_store(rt, &s, err) < 0)
                return cpod_error_rc(err, -EIO);
        r = fill_record(rt, s, params, &c, err);
        if (r == 0 && c.image_id)
                r = store_image_get(s, c.image_id, &img, err);
        if (r == 0)
                r = store_layer_create_rw(s, img.top_layer, layer, err);
        if (r == 0) {
                c.layer_id = xstrdup(layer);
                r = failpoint("ctr-create-before-record", err);
                if (r == 0)
                        r = ctr_db_insert(rt, &c, err);
                if (r < 0)
                        (void)store_layer_delete(s, layer, NULL);
        }
        if (r == 0 && cidfile && *cidfile && write_cidfile(cidfile, c.id, err) < 0) {
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
