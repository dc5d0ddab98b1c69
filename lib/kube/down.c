/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kube down: what a play of the same YAML created, found by the names the
 * play derives (pod metadata.name, Deployment NAME-pod-N per replica, Secret and claim
 * names).  Objects already gone are skipped; volumes only with force.
 */
#include <errno.h>
#include <string.h>

#include <cpod/container.h>
#include <cpod/kube.h>
#include <cpod/pod.h>
#include <cpod/secret.h>
#include <cpod/volume.h>

#include "kube/kube-internal.h"
#include "kube/yaml-read.h"

#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

int kube_remove_pod(struct cpod_runtime *rt, const char *id, cpod_error_t *err)
{
        struct cpod_rm_opts o = { .force = true, .volumes = true, .timeout = -1 };
        _cleanup_strv_ char **ids = NULL;
        int r;

        if ((r = cpod_pod_containers(rt, id, &ids, err)) < 0)
                return r;
        /* Members first (the infra, listed first, goes with the pod), so their anonymous volumes go too. */
        for (size_t i = strv_length(ids); i-- > 1;)
                if ((r = cpod_ctr_remove(rt, ids[i], &o, err)) < 0) {
                        if (!err || err->kind != CPOD_E_NO_SUCH_CTR)
                                return r;
                        cpod_error_clear(err);
                }
        return cpod_pod_remove(rt, id, true, -1, err);
}

static int down_pod(struct cpod_runtime *rt, const char *name, json_t *rep, cpod_error_t *err)
{
        char id[65];
        int r;

        if (cpod_pod_lookup(rt, name, id, NULL) < 0)
                return 0;
        /* As podman 4.3.1's kube down (PodStop with a zero timeout): no grace period. */
        if ((r = cpod_pod_stop(rt, id, 0, err)) < 0)
                return r;
        json_array_append_new(json_object_get(rep, "StopReport"), json_string(id));
        if ((r = kube_remove_pod(rt, id, err)) < 0)
                return r;
        json_array_append_new(json_object_get(rep, "RmReport"), json_string(id));
        return 0;
}

/* The pods play made for the replicas: NAME-pod-0 ... */
static int down_deployment(struct cpod_runtime *rt, const json_t *doc, const char *name, json_t *rep, cpod_error_t *err)
{
        json_int_t n;
        int r;

        if ((r = kube_replicas(doc, &n, err)) < 0)
                return r;
        for (json_int_t i = 0; i < n; i++) {
                _cleanup_free_ char *pod = xasprintf("%s-pod-%" JSON_INTEGER_FORMAT, name, i);

                if ((r = down_pod(rt, pod, rep, err)) < 0)
                        return r;
        }
        return 0;
}

/*
 * One document: pods and secrets in the first pass, claims (with force) in the second, once the
 * pods that use them are gone: removing a claim first would remove its users one after the other,
 * each with its stop timeout, instead of stopping a pod's members together.
 */
static int down_doc(struct cpod_runtime *rt, const json_t *doc, bool force, int pass, json_t *rep, cpod_error_t *err)
{
        const char *kind = json_get_str(doc, "kind"), *name = json_get_str(json_object_get(doc, "metadata"), "name");
        char sid[CPOD_SECRET_ID_LEN + 1];
        json_t *vol = NULL;

        if (!kind || !name || (pass == 0) == (strcmp(kind, "PersistentVolumeClaim") == 0))
                return 0;
        if (strcmp(kind, "Pod") == 0)
                return down_pod(rt, name, rep, err);
        if (strcmp(kind, "Deployment") == 0)
                return down_deployment(rt, doc, name, rep, err);
        if (strcmp(kind, "Secret") == 0 && cpod_secret_remove(rt, name, sid, NULL) == 0)
                json_array_append_new(json_object_get(rep, "SecretRmReport"), json_string(sid));
        if (force && strcmp(kind, "PersistentVolumeClaim") == 0 && cpod_volume_inspect(rt, name, &vol, NULL) == 0) {
                json_decref(vol);
                if (cpod_volume_remove(rt, name, true, -1, err) < 0)
                        return -EIO;
                json_array_append_new(json_object_get(rep, "VolumeRmReport"), json_string(name));
        }
        return 0;
}

/* configMap and secret volumes of the pods (named after their source), with force. */
static int down_data_volumes(struct cpod_runtime *rt, const json_t *doc, json_t *rep, cpod_error_t *err)
{
        const json_t *spec = json_object_get(doc, "spec"), *v;
        size_t i;

        if (json_object_get(spec, "template"))
                spec = json_object_get(json_object_get(spec, "template"), "spec");
        json_array_foreach(json_object_get(spec, "volumes"), i, v) {
                const json_t *src = json_object_get(v, "configMap") ? json_object_get(v, "configMap")
                                                                    : json_object_get(v, "secret");
                const char *name = json_get_str(src, json_object_get(v, "secret") ? "secretName" : "name");
                json_t *vol = NULL;

                if (!name || cpod_volume_inspect(rt, name, &vol, NULL) < 0)
                        continue;
                json_decref(vol);
                if (cpod_volume_remove(rt, name, true, -1, err) < 0)
                        return -EIO;
                json_array_append_new(json_object_get(rep, "VolumeRmReport"), json_string(name));
        }
        return 0;
}

int cpod_kube_down(struct cpod_runtime *rt, const char *data, size_t len, const char *name, bool force, json_t **ret,
                   cpod_error_t *err)
{
        _cleanup_json_ json_t *docs = NULL;
        json_t *rep, *doc;
        size_t i;
        int r;

        if ((r = yaml_read_all(data, len, name, &docs, err)) < 0)
                return r;
        rep = json_pack("{s:[], s:[], s:[], s:[]}", "StopReport", "RmReport", "SecretRmReport", "VolumeRmReport");
        for (int pass = 0; pass < 2; pass++)
                json_array_foreach(docs, i, doc)
                        if ((r = down_doc(rt, doc, force, pass, rep, err)) < 0 ||
                            (pass == 1 && force && (r = down_data_volumes(rt, doc, rep, err)) < 0)) {
                                json_decref(rep);
                                return r;
                        }
        *ret = rep;
        return 0;
}
