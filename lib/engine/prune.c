/* SPDX-License-Identifier: Apache-2.0 */
/* container, pod, image and system prune: which objects are unused, decided on their typed state. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/container.h>
#include <cpod/engine.h>
#include <cpod/image.h>
#include <cpod/network.h>
#include <cpod/pod.h>
#include <cpod/volume.h>

#include "ctr/ctr.h"
#include "image/image-internal.h"
#include "pod/pod-internal.h"

#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

void cpod_prune_report_clear(struct cpod_prune_report *r)
{
        if (!r)
                return;
        for (size_t i = 0; i < r->n; i++)
                cpod_error_clear(&r->v[i].err);
        free(r->v);
        r->v = NULL;
        r->n = 0;
}

void cpod_system_prune_report_clear(struct cpod_system_prune_report *r)
{
        if (!r)
                return;
        cpod_prune_report_clear(&r->pods);
        cpod_prune_report_clear(&r->containers);
        cpod_prune_report_clear(&r->images);
        cpod_prune_report_clear(&r->networks);
        cpod_prune_report_clear(&r->volumes);
}

static struct cpod_prune_item *add_item(struct cpod_prune_report *r, const char *id)
{
        struct cpod_prune_item *it;

        r->v = xreallocarray(r->v, r->n + 1, sizeof(*r->v));
        it = &r->v[r->n++];
        memset(it, 0, sizeof(*it));
        snprintf(it->id, sizeof(it->id), "%s", id);
        return it;
}

/* Not running, not paused, not on its way somewhere: what prune may remove. */
static bool at_rest(enum cpod_ctr_state s)
{
        return s == CPOD_CTR_CONFIGURED || s == CPOD_CTR_CREATED || s == CPOD_CTR_STOPPED || s == CPOD_CTR_EXITED;
}

int cpod_ctr_prune(struct cpod_runtime *rt, struct cpod_prune_report *ret, cpod_error_t *err)
{
        struct ctr *v;
        size_t n;
        int r;

        /* What killed commands left: layers of creates that never got their record, empty cgroups. */
        ctr_gc_interrupted_creates(rt);

        if ((r = ctr_db_list(rt, &v, &n, err)) < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                ctr_reconcile_view(rt, &v[i]);
                /* As podman: a pod's containers go with the pod (pod rm, pod prune), not here. */
                if (!at_rest(v[i].state) || v[i].pod_id)
                        continue;
                (void)cpod_ctr_remove(rt, v[i].id, NULL, &add_item(ret, v[i].id)->err);
        }
        ctrs_free(v, n);
        ctr_cgroup_gc(rt);
        return 0;
}

/* Pods whose containers are all at rest (or that have none). */
static int idle_pods(struct cpod_runtime *rt, char ***ret, cpod_error_t *err)
{
        _cleanup_strv_ char **pods = NULL;
        struct ctr *v;
        size_t n;
        int r;

        if ((r = pod_all_ids(rt, &pods, err)) < 0 || (r = ctr_db_list(rt, &v, &n, err)) < 0)
                return r;
        *ret = xnew0(char *, 1);
        for (char **p = pods; *p; p++) {
                bool busy = false;
                for (size_t i = 0; i < n && !busy; i++)
                        if (v[i].pod_id && strcmp(v[i].pod_id, *p) == 0) {
                                ctr_reconcile_view(rt, &v[i]);
                                busy = !at_rest(v[i].state);
                        }
                if (!busy)
                        strv_add(ret, *p);
        }
        ctrs_free(v, n);
        return 0;
}

int cpod_pod_prune(struct cpod_runtime *rt, struct cpod_prune_report *ret, cpod_error_t *err)
{
        _cleanup_strv_ char **idle = NULL;
        int r = idle_pods(rt, &idle, err);

        if (r < 0)
                return r;
        for (char **p = idle; *p; p++)
                (void)cpod_pod_remove(rt, *p, true, 0, &add_item(ret, *p)->err);
        return 0;
}

int cpod_image_prune(struct cpod_runtime *rt, bool all, struct cpod_prune_report *ret, cpod_error_t *err)
{
        _cleanup_json_ json_t *imgs = NULL, *used = NULL;
        size_t i;
        json_t *img;
        int r;

        if ((r = cpod_image_list(rt, &imgs, err)) < 0 || (r = cpod_ctr_count_by_image(rt, &used, err)) < 0)
                return r;
        json_array_foreach(imgs, i, img) {
                const char *id = json_get_str(img, "Id");
                _cleanup_json_ json_t *untagged = json_array(), *deleted = json_array();
                struct cpod_prune_item *it;
                if (json_object_get(used, id) || (!all && !json_is_true(json_object_get(img, "Dangling"))))
                        continue;
                it = add_item(ret, id);
                if (image_remove(rt, id, &(struct cpod_rmi_opts){ .force = true }, untagged, deleted, &it->err) == 0)
                        it->size = json_get_int(img, "Size", 0);
        }
        return 0;
}

int cpod_network_prune(struct cpod_runtime *rt, struct cpod_prune_report *ret, cpod_error_t *err)
{
        _cleanup_json_ json_t *all = NULL;
        json_t *n;
        size_t i;

        memset(ret, 0, sizeof(*ret));
        if (cpod_network_list(rt, &all, err) < 0)
                return cpod_error_rc(err, -EIO);
        json_array_foreach(all, i, n) {
                const char *name = json_get_str(n, "name");
                _cleanup_strv_ char **users = NULL;
                char *removed = NULL;
                cpod_error_t e = CPOD_ERROR_INIT;
                if (cpod_network_containers(rt, name, &users, &e) < 0 || users[0] ||
                    cpod_network_remove(rt, name, false, -1, &removed, &e) < 0) {
                        /* in use, or the default network: not pruned, not an error */
                        cpod_error_clear(&e);
                        continue;
                }
                add_item(ret, removed);
                free(removed);
        }
        return 0;
}

int cpod_volume_prune(struct cpod_runtime *rt, const json_t *filters, struct cpod_prune_report *ret, cpod_error_t *err)
{
        _cleanup_json_ json_t *all = NULL, *f = filters ? json_deep_copy(filters) : json_object();
        json_t *v;
        size_t i;

        memset(ret, 0, sizeof(*ret));
        json_object_set_new(f, "dangling", json_pack("[s]", "true"));
        if (cpod_volume_list(rt, f, &all, err) < 0)
                return cpod_error_rc(err, -EIO);
        json_array_foreach(all, i, v) {
                cpod_error_t e = CPOD_ERROR_INIT;
                if (cpod_volume_remove(rt, json_get_str(v, "Name"), false, -1, &e) == 0)
                        add_item(ret, json_get_str(v, "Name"));
                else if (e.kind != CPOD_E_IN_USE && e.kind != CPOD_E_NO_SUCH_VOLUME) /* taken meanwhile: kept */
                        cpod_error_move(&add_item(ret, json_get_str(v, "Name"))->err, &e);
                cpod_error_clear(&e);
        }
        return 0;
}

int cpod_system_prune(struct cpod_runtime *rt, bool all, bool volumes, struct cpod_system_prune_report *ret,
                      cpod_error_t *err)
{
        int r;

        memset(ret, 0, sizeof(*ret));
        if ((r = cpod_pod_prune(rt, &ret->pods, err)) < 0 || (r = cpod_ctr_prune(rt, &ret->containers, err)) < 0 ||
            (r = cpod_network_prune(rt, &ret->networks, err)) < 0 ||
            (volumes && (r = cpod_volume_prune(rt, NULL, &ret->volumes, err)) < 0) ||
            (r = cpod_image_prune(rt, all, &ret->images, err)) < 0) {
                cpod_system_prune_report_clear(ret);
                return r;
        }
        return 0;
}
