/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kube play: read, plan (every check), build or pull the images, then create volumes, secrets, pods
 * and containers through the public API, run init containers in order, and
 * start the pods.  What this call created is removed again when a later
 * step fails, so a failed play leaves nothing behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <cpod/container.h>
#include <cpod/kube.h>
#include <cpod/pod.h>
#include <cpod/secret.h>
#include <cpod/volume.h>

#include "kube/kube-internal.h"
#include "kube/yaml-read.h"

#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/xalloc.h"

struct created {
        json_t *report;   /* the report so far: what exists now because of this call */
        json_t *new_vols; /* volumes this call created */
};

static int make_volume(struct cpod_runtime *rt, const char *name, struct created *c, json_t **ret, cpod_error_t *err)
{
        json_t *vol = NULL;
        int r;

        if (cpod_volume_inspect(rt, name, &vol, NULL) == 0) {
                *ret = vol;
                return 0;
        }
        _cleanup_json_ json_t *req = json_pack("{s:s}", "Name", name);
        if ((r = cpod_volume_create(rt, req, &vol, err)) < 0)
                return r;
        json_array_append_new(c->new_vols, json_string(name));
        json_array_append_new(json_object_get(c->report, "Volumes"), json_pack("{s:s}", "Name", name));
        *ret = vol;
        return 0;
}

/* A configMap or secret volume: one file per key, replaced on every play. */
static int fill_volume(struct cpod_runtime *rt, const json_t *dv, struct created *c, cpod_error_t *err)
{
        _cleanup_json_ json_t *vol = NULL;
        const char *k;
        json_t *v;
        int r;

        if ((r = make_volume(rt, json_get_str(dv, "Name"), c, &vol, err)) < 0)
                return r;
        json_object_foreach(json_object_get(dv, "Files"), k, v) {
                _cleanup_free_ char *path = path_join(json_get_str(vol, "Mountpoint"), k);
                const char *s = json_string_value(v);

                if ((r = write_file_replace(path, s, strlen(s), 0644, err)) < 0)
                        return r;
        }
        return 0;
}

static int make_host_path(const json_t *hp, cpod_error_t *err)
{
        const char *path = json_get_str(hp, "Path");
        int fd;

        if (strcmp(json_get_str(hp, "Type"), "DirectoryOrCreate") == 0)
                return mkdir_p(path, 0755, err);
        fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
                return cpod_error_set(err, errno, CPOD_E_INTERNAL, "kube: create hostPath %s: %s", path,
                                      strerror(errno));
        close(fd);
        return 0;
}

static int run_init(struct cpod_runtime *rt, const char *id, const char *name, cpod_error_t *err)
{
        struct cpod_rm_opts rm = { .force = true, .timeout = -1 };
        int code = 0, r;

        if ((r = cpod_ctr_start(rt, id, err)) < 0 || (r = cpod_ctr_wait(rt, id, NULL, 0, 100, &code, err)) < 0)
                return r;
        if (code != 0)
                return cpod_error_set(err, EIO, CPOD_E_INVALID, "kube: init container %s exited with code %d", name,
                                      code);
        /* podman's default for kube init containers: "once", removed after they ran. */
        return cpod_ctr_remove(rt, id, &rm, err);
}

/* The create params of a planned container, with the pod's ID for its fieldRef metadata.uid variables. */
static json_t *with_pod_id(const json_t *p, const char *pod_id)
{
        json_t *q = json_copy((json_t *)p), *env, *v;
        size_t i;

        json_object_del(q, KUBE_UID_ENV);
        env = json_copy(json_object_get(q, "Env"));
        json_array_foreach(json_object_get(p, KUBE_UID_ENV), i, v)
                json_array_append_new(env, json_sprintf("%s=%s", json_string_value(v), pod_id));
        json_object_set_new(q, "Env", env);
        return q;
}

static int make_ctrs(struct cpod_runtime *rt, const json_t *list, const char *pod_id, json_t *out, cpod_error_t *err)
{
        const json_t *p;
        size_t i;
        int r;

        json_array_foreach(list, i, p) {
                _cleanup_json_ json_t *q = with_pod_id(p, pod_id);
                char id[65];

                if ((r = cpod_ctr_create(rt, q, id, err)) < 0)
                        return cpod_error_wrap(err, "kube: container %s", json_get_str(p, "Name")), r;
                json_array_append_new(out, json_string(id));
        }
        return 0;
}

static int play_pod(struct cpod_runtime *rt, const struct cpod_kube_play_opts *o, const json_t *pp, struct created *c,
                    cpod_error_t *err)
{
        json_t *rep = json_pack("{s:s, s:s, s:[], s:[]}", "ID", "", "Name", json_get_str(pp, "Name"), "Containers",
                                "InitContainers");
        const json_t *x;
        char id[65];
        size_t i;
        int r;

        json_array_append_new(json_object_get(c->report, "Pods"), rep);
        json_array_foreach(json_object_get(pp, "HostPaths"), i, x)
                if ((r = make_host_path(x, err)) < 0)
                        return r;
        json_array_foreach(json_object_get(pp, "DataVolumes"), i, x)
                if ((r = fill_volume(rt, x, c, err)) < 0)
                        return r;
        if (o->replace && cpod_pod_lookup(rt, json_get_str(pp, "Name"), id, NULL) == 0 &&
            (r = kube_remove_pod(rt, id, err)) < 0)
                return r;
        if ((r = cpod_pod_create(rt, json_object_get(pp, "Pod"), id, err)) < 0)
                return r;
        json_object_set_new(rep, "ID", json_string(id));
        if ((r = make_ctrs(rt, json_object_get(pp, "Init"), id, json_object_get(rep, "InitContainers"), err)) < 0 ||
            (r = make_ctrs(rt, json_object_get(pp, "Containers"), id, json_object_get(rep, "Containers"), err)) < 0)
                return r;
        if (o->no_start)
                return 0;
        json_array_foreach(json_object_get(rep, "InitContainers"), i, x)
                if ((r = run_init(rt, json_string_value(x),
                                  json_get_str(json_array_get(json_object_get(pp, "Init"), i), "Name"), err)) < 0)
                        return r;
        return cpod_pod_start(rt, id, err);
}

static int make_secret(struct cpod_runtime *rt, const struct cpod_kube_play_opts *o, const json_t *s, struct created *c,
                       cpod_error_t *err)
{
        const char *name = json_get_str(s, "Name"), *data = json_get_str(s, "Data");
        char id[CPOD_SECRET_ID_LEN + 1];
        int r;

        if (o->replace && (r = cpod_secret_remove(rt, name, id, err)) < 0) {
                if (err && err->kind != CPOD_E_NO_SUCH_OBJECT)
                        return r;
                cpod_error_clear(err);
        }
        if ((r = cpod_secret_create(rt, name, data, strlen(data), NULL, id, err)) < 0)
                return cpod_error_wrap(err, "kube: Secret %s", name), r;
        json_array_append_new(json_object_get(c->report, "Secrets"), json_pack("{s:s, s:s}", "ID", id, "Name", name));
        return 0;
}

static int carry_out(struct cpod_runtime *rt, const struct cpod_kube_play_opts *o, const json_t *plan,
                     struct created *c, cpod_error_t *err)
{
        const json_t *x;
        size_t i;
        int r;

        if ((r = kube_images(rt, o, json_object_get(plan, "Images"), err)) < 0)
                return r;
        json_array_foreach(json_object_get(plan, "Secrets"), i, x)
                if ((r = make_secret(rt, o, x, c, err)) < 0)
                        return r;
        json_array_foreach(json_object_get(plan, "Volumes"), i, x) {
                _cleanup_json_ json_t *vol = NULL;
                if ((r = make_volume(rt, json_string_value(x), c, &vol, err)) < 0)
                        return r;
        }
        json_array_foreach(json_object_get(plan, "Pods"), i, x)
                if ((r = play_pod(rt, o, x, c, err)) < 0)
                        return r;
        return 0;
}

/* Undo a failed play: its pods (with their anonymous volumes), secrets and new volumes. */
static void roll_back(struct cpod_runtime *rt, struct created *c)
{
        const json_t *x;
        size_t i;

        json_array_foreach(json_object_get(c->report, "Pods"), i, x)
                if (*json_get_str(x, "ID"))
                        (void)kube_remove_pod(rt, json_get_str(x, "ID"), NULL);
        json_array_foreach(json_object_get(c->report, "Secrets"), i, x)
                (void)cpod_secret_remove(rt, json_get_str(x, "ID"), (char[CPOD_SECRET_ID_LEN + 1]){ 0 }, NULL);
        json_array_foreach(c->new_vols, i, x)
                (void)cpod_volume_remove(rt, json_string_value(x), true, 0, NULL);
}

int cpod_kube_play(struct cpod_runtime *rt, const char *data, size_t len, const char *name,
                   const struct cpod_kube_play_opts *o, json_t **ret, cpod_error_t *err)
{
        static const struct cpod_kube_play_opts defaults = { .build = 0 };
        struct kube_ctx ctx = { .rt = rt, .opts = o ? o : &defaults };
        _cleanup_json_ json_t *docs = NULL, *plan = NULL;
        struct created c;
        int r;

        if ((r = yaml_read_all(data, len, name, &docs, err)) < 0)
                return r;
        ctx.configmaps = json_object();
        ctx.secrets = json_object();
        ctx.images = json_array();
        r = kube_plan(&ctx, docs, &plan, err);
        if (r == 0)
                json_object_set(plan, "Images", ctx.images);
        json_decref(ctx.configmaps);
        json_decref(ctx.secrets);
        json_decref(ctx.images);
        if (r < 0)
                return r;
        c.report = json_pack("{s:[], s:[], s:[]}", "Pods", "Volumes", "Secrets");
        c.new_vols = json_array();
        if ((r = carry_out(rt, ctx.opts, plan, &c, err)) < 0) {
                roll_back(rt, &c);
                json_decref(c.report);
        } else {
                *ret = c.report;
        }
        json_decref(c.new_vols);
        return r;
}
