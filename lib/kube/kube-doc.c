/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The documents of a kube file, by kind.  ConfigMaps and Secrets are read
 * first: a container may name one defined further down the file; then
 * the --configmap files.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kube/kube-internal.h"
#include "kube/yaml-read.h"

#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/xalloc.h"

static const char *doc_name(const json_t *doc)
{
        return json_get_str(json_object_get(doc, "metadata"), "name");
}

static int need_name(const json_t *doc, const char *kind, cpod_error_t *err)
{
        const char *n = doc_name(doc);

        if (!n || !*n)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "kube: %s does not have a name", kind);
        return 0;
}

/* ConfigMap data: strings (numbers and booleans as YAML wrote them are an error, as in Kubernetes). */
static int read_configmap(struct kube_ctx *ctx, const json_t *doc, cpod_error_t *err)
{
        const char *name = doc_name(doc), *k;
        json_t *data = json_object_get(doc, "data"), *v, *out = json_object();

        json_object_foreach(data, k, v) {
                if (!json_is_string(v)) {
                        json_decref(out);
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "kube: ConfigMap %s: data.%s must be a string", name, k);
                }
                json_object_set(out, k, v);
        }
        if (json_object_get(doc, "binaryData"))
                rt_warn(ctx->rt, "kube: ConfigMap %s: binaryData is not supported, ignoring", name);
        json_object_set_new(ctx->configmaps, name, out);
        return 0;
}

static int read_secret(struct kube_ctx *ctx, const json_t *doc, json_t *plan, cpod_error_t *err)
{
        const char *name = doc_name(doc);
        json_t *out = NULL;
        int r;

        if ((r = kube_secret_values(name, doc, &out, err)) < 0)
                return r;
        json_object_set_new(ctx->secrets, name, out);
        /* As podman: the cpod secret holds the Secret itself, as JSON. */
        json_array_append_new(json_object_get(plan, "Secrets"),
                              json_pack("{s:s, s:o}", "Name", name, "Data", json_string_take(json_dump_compact(doc))));
        return 0;
}

static int read_claim(struct kube_ctx *ctx, const json_t *doc, json_t *plan)
{
        static const char *const known[] = { "accessModes", "resources", "volumeMode", "storageClassName", NULL };
        const char *name = doc_name(doc);

        kube_warn_unknown(ctx, json_object_get(doc, "spec"), "PersistentVolumeClaim.spec", known);
        json_array_append_new(json_object_get(plan, "Volumes"), json_string(name));
        return 0;
}

static int read_data(struct kube_ctx *ctx, const json_t *doc, const char *kind, json_t *plan, cpod_error_t *err)
{
        if (strcmp(kind, "ConfigMap") == 0)
                return read_configmap(ctx, doc, err);
        if (strcmp(kind, "Secret") == 0)
                return read_secret(ctx, doc, plan, err);
        if (strcmp(kind, "PersistentVolumeClaim") == 0)
                return read_claim(ctx, doc, plan);
        return 0;
}

/* Reject a second pod of the same name. */
static int add_pod(json_t *pods, json_t *pod, cpod_error_t *err)
{
        const json_t *p;
        size_t i;

        json_array_foreach(pods, i, p)
                if (strcmp(json_get_str(p, "Name"), json_get_str(pod, "Name")) == 0) {
                        json_decref(pod);
                        return cpod_error_set(err, EEXIST, CPOD_E_INVALID, "kube: pod %s is defined twice",
                                              json_get_str(p, "Name"));
                }
        json_array_append_new(pods, pod);
        return 0;
}

/* As podman 4.3.1: one pod per replica, NAME-pod-0, NAME-pod-1 ... (1 when unset). */
static int read_deployment(struct kube_ctx *ctx, const json_t *doc, json_t *pods, cpod_error_t *err)
{
        const json_t *spec = json_object_get(doc, "spec"), *tmpl = json_object_get(spec, "template");
        json_int_t n;
        json_t *meta = json_object_get(tmpl, "metadata");
        int r;

        if (!json_is_object(json_object_get(tmpl, "spec")))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "kube: Deployment %s has no spec.template.spec",
                                      doc_name(doc));
        if ((r = kube_replicas(doc, &n, err)) < 0)
                return r;
        if (!meta)
                meta = json_object_get(doc, "metadata");
        for (json_int_t i = 0; i < n; i++) {
                _cleanup_free_ char *name = xasprintf("%s-pod-%" JSON_INTEGER_FORMAT, doc_name(doc), i);
                json_t *pod = NULL;

                if ((r = kube_pod_plan(ctx, name, meta, json_object_get(tmpl, "spec"), &pod, err)) < 0 ||
                    (r = add_pod(pods, pod, err)) < 0)
                        return r;
        }
        return 0;
}

static int read_pods(struct kube_ctx *ctx, const json_t *doc, const char *kind, json_t *pods, cpod_error_t *err)
{
        json_t *pod = NULL;
        int r;

        if (strcmp(kind, "Deployment") == 0)
                return read_deployment(ctx, doc, pods, err);
        if (strcmp(kind, "Pod") != 0)
                return 0;
        if ((r = kube_pod_plan(ctx, doc_name(doc), json_object_get(doc, "metadata"), json_object_get(doc, "spec"), &pod,
                               err)) < 0)
                return r;
        return add_pod(pods, pod, err);
}

/* --configmap files: ConfigMaps only, none of a name the YAML defines too (as podman). */
static int read_configmap_files(struct kube_ctx *ctx, cpod_error_t *err)
{
        for (char *const *f = ctx->opts->configmaps; f && *f; f++) {
                _cleanup_json_ json_t *docs = NULL;
                _cleanup_free_ char *data = NULL;
                const json_t *doc;
                size_t len, i;
                int r;

                if ((r = read_file(*f, &data, &len, CPOD_KUBE_MAX_SIZE, err)) < 0 ||
                    (r = yaml_read_all(data, len, *f, &docs, err)) < 0)
                        return r;
                json_array_foreach(docs, i, doc) {
                        const char *kind = json_get_str(doc, "kind");

                        if (!kind || strcmp(kind, "ConfigMap") != 0)
                                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                                      "\"%s\": invalid YAML kind: \"%s\". [ConfigMap] is the only "
                                                      "supported by --configmap",
                                                      *f, kind ? kind : "");
                        if ((r = need_name(doc, kind, err)) < 0)
                                return r;
                        if (json_object_get(ctx->configmaps, doc_name(doc)))
                                return cpod_error_set(err, EEXIST, CPOD_E_INVALID,
                                                      "ambiguous configuration: the same config map %s is present in "
                                                      "YAML and in --configmaps %s file",
                                                      doc_name(doc), *f);
                        if ((r = read_configmap(ctx, doc, err)) < 0)
                                return r;
                }
        }
        return 0;
}

static int check_kind(struct kube_ctx *ctx, const json_t *doc, size_t i, const char **ret, cpod_error_t *err)
{
        static const char *const kinds[] = {
                "Pod", "Deployment", "PersistentVolumeClaim", "ConfigMap", "Secret", NULL
        };
        const char *kind = json_get_str(doc, "kind");

        if (!json_is_object(doc) || !kind)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "kube: document %zu is not a Kubernetes object (no kind)", i + 1);
        *ret = NULL;
        for (const char *const *k = kinds; *k; k++)
                if (strcmp(*k, kind) == 0)
                        *ret = kind;
        if (!*ret) {
                rt_warn(ctx->rt, "kube: kind %s is not supported, ignoring", kind);
                return 0;
        }
        return need_name(doc, kind, err);
}

/* As podman: a file needs a Pod, Deployment (even of no replicas), PersistentVolumeClaim or Secret. */
static int count_kinds(struct kube_ctx *ctx, const json_t *docs, const char **kinds, cpod_error_t *err)
{
        for (size_t i = 0; i < json_array_size(docs); i++)
                if (kinds[i] && strcmp(kinds[i], "ConfigMap") != 0)
                        return 0;
        if (json_object_size(ctx->configmaps))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "ConfigMaps are not a standalone object and must be used in a "
                                      "container");
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                              "kube: YAML document does not contain any supported kube kind");
}

int kube_plan(struct kube_ctx *ctx, const json_t *docs, json_t **ret, cpod_error_t *err)
{
        _cleanup_json_ json_t *plan = json_pack("{s:[], s:[], s:[]}", "Volumes", "Secrets", "Pods");
        const char **kinds = xnew0(const char *, json_array_size(docs) + 1);
        json_t *doc;
        size_t i;
        int r = 0;

        json_array_foreach(docs, i, doc)
                if ((r = check_kind(ctx, doc, i, &kinds[i], err)) < 0 ||
                    (kinds[i] && (r = read_data(ctx, doc, kinds[i], plan, err)) < 0))
                        goto out;
        if ((r = read_configmap_files(ctx, err)) < 0)
                goto out;
        json_array_foreach(docs, i, doc)
                if (kinds[i] && (r = read_pods(ctx, doc, kinds[i], json_object_get(plan, "Pods"), err)) < 0)
                        goto out;
        if ((r = count_kinds(ctx, docs, kinds, err)) == 0)
                *ret = TAKE_PTR(plan);
out:
        free(kinds);
        return r;
}
