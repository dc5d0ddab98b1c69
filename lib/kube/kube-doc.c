/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The documents of a kube file, by kind.  ConfigMaps and Secrets are read
 * first: a container may name one defined further down the file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kube/kube-internal.h"

#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
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
        const char *name = doc_name(doc), *k;
        json_t *v, *out = json_object();

        json_object_foreach(json_object_get(doc, "data"), k, v) {
                size_t n;
                char *d = json_is_string(v) ? kube_base64_decode(json_string_value(v), &n) : NULL;

                if (!d || strlen(d) != n) {
                        free(d);
                        json_decref(out);
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "kube: Secret %s: data.%s is not base64 of text", name, k);
                }
                json_object_set_new(out, k, json_string_take(d));
        }
        json_object_foreach(json_object_get(doc, "stringData"), k, v) {
                if (!json_is_string(v)) {
                        json_decref(out);
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "kube: Secret %s: stringData.%s must be a string", name, k);
                }
                json_object_set(out, k, v);
        }
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

static int read_deployment(struct kube_ctx *ctx, const json_t *doc, json_t **ret, cpod_error_t *err)
{
        const json_t *spec = json_object_get(doc, "spec"), *tmpl = json_object_get(spec, "template");
        _cleanup_free_ char *pod = xasprintf("%s-pod", doc_name(doc));
        json_t *meta = json_object_get(tmpl, "metadata");

        if (!json_is_object(json_object_get(tmpl, "spec")))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "kube: Deployment %s has no spec.template.spec",
                                      doc_name(doc));
        if (json_integer_value(json_object_get(spec, "replicas")) > 1)
                rt_warn(ctx->rt, "Limiting replica count to 1, more than one replica is not supported by cpod");
        if (!meta)
                meta = json_object_get(doc, "metadata");
        return kube_pod_plan(ctx, pod, meta, json_object_get(tmpl, "spec"), ret, err);
}

static int read_pods(struct kube_ctx *ctx, const json_t *doc, const char *kind, json_t *pods, cpod_error_t *err)
{
        json_t *pod = NULL;
        size_t i;
        json_t *p;
        int r;

        if (strcmp(kind, "Pod") == 0)
                r = kube_pod_plan(ctx, doc_name(doc), json_object_get(doc, "metadata"), json_object_get(doc, "spec"),
                                  &pod, err);
        else if (strcmp(kind, "Deployment") == 0)
                r = read_deployment(ctx, doc, &pod, err);
        else
                return 0;
        if (r < 0)
                return r;
        json_array_foreach(pods, i, p)
                if (strcmp(json_get_str(p, "Name"), json_get_str(pod, "Name")) == 0) {
                        json_decref(pod);
                        return cpod_error_set(err, EEXIST, CPOD_E_INVALID, "kube: pod %s is defined twice",
                                              json_get_str(p, "Name"));
                }
        json_array_append_new(pods, pod);
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
        json_array_foreach(docs, i, doc)
                if (kinds[i] && (r = read_pods(ctx, doc, kinds[i], json_object_get(plan, "Pods"), err)) < 0)
                        goto out;
        if (!json_array_size(json_object_get(plan, "Pods")) && !json_array_size(json_object_get(plan, "Volumes")) &&
            !json_array_size(json_object_get(plan, "Secrets")) && !json_object_size(ctx->configmaps))
                r = cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                   "kube: YAML document does not contain any supported kube kind");
        else
                *ret = TAKE_PTR(plan);
out:
        free(kinds);
        return r;
}
