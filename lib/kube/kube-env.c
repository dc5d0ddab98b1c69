/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A container's environment: env (value, or valueFrom a configMapKeyRef or
 * secretKeyRef) and envFrom (every key of a ConfigMap or Secret, with an
 * optional prefix).  ConfigMaps come from the YAML and --configmap, Secrets
 * from the YAML or cpod's secret store;
 * fieldRef and resourceFieldRef are refused (nothing would set them).
 */
#include <errno.h>
#include <string.h>

#include "kube/kube-internal.h"

#include "util/json.h"

static int key_ref(struct kube_ctx *ctx, const char *ctr, const char *var, const json_t *ref, bool secret,
                   const char **ret, cpod_error_t *err)
{
        const char *name = json_get_str(ref, "name"), *key = json_get_str(ref, "key"), *what;
        const json_t *map = NULL, *v;
        int r;

        *ret = NULL;
        if (secret && name && (r = kube_secret(ctx, name, &map, err)) < 0)
                return r;
        if (!secret && name)
                map = json_object_get(ctx->configmaps, name);
        v = key ? json_object_get(map, key) : NULL;
        if (v) {
                *ret = json_string_value(v);
                return 0;
        }
        if (json_is_true(json_object_get(ref, "optional")))
                return 0;
        what = secret ? "secret" : "configmap";
        if (map)
                return cpod_error_set(err, ENOENT, CPOD_E_INVALID,
                                      "kube: container %s: cannot set env %s: %s %s has no key %s", ctr, var, what,
                                      name, key ? key : "?");
        return cpod_error_set(err, ENOENT, CPOD_E_INVALID, "kube: container %s: cannot set env %s: %s %s not found",
                              ctr, var, what, name ? name : "?");
}

static int one_var(struct kube_ctx *ctx, const char *ctr, const json_t *e, json_t *env, cpod_error_t *err)
{
        const char *name = json_get_str(e, "name"), *val = json_get_str(e, "value");
        const json_t *from = json_object_get(e, "valueFrom"), *ref;
        int r;

        if (!name || !*name)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "kube: container %s: env without a name", ctr);
        if (from) {
                if ((ref = json_object_get(from, "configMapKeyRef")) || (ref = json_object_get(from, "secretKeyRef"))) {
                        if ((r = key_ref(ctx, ctr, name, ref, ref == json_object_get(from, "secretKeyRef"), &val,
                                         err)) < 0)
                                return r;
                        if (!val)
                                return 0; /* optional and absent: unset, as Kubernetes */
                } else {
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "kube: container %s: env %s: only configMapKeyRef and secretKeyRef are "
                                              "supported in valueFrom",
                                              ctr, name);
                }
        } else if (!val && json_object_get(e, "value") && !json_is_null(json_object_get(e, "value"))) {
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "kube: container %s: env %s: value must be a string",
                                      ctr, name);
        }
        json_array_append_new(env, json_sprintf("%s=%s", name, val ? val : ""));
        return 0;
}

static int one_source(struct kube_ctx *ctx, const char *ctr, const json_t *src, json_t *env, cpod_error_t *err)
{
        const json_t *ref = json_object_get(src, "configMapRef"), *map = NULL, *v;
        bool secret = !ref;
        const char *prefix = json_get_str(src, "prefix"), *name, *k;
        int r;

        if (!ref)
                ref = json_object_get(src, "secretRef");
        name = json_get_str(ref, "name");
        if (!name)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "kube: container %s: envFrom needs a configMapRef or secretRef with a name", ctr);
        if (secret && (r = kube_secret(ctx, name, &map, err)) < 0)
                return r;
        if (!secret)
                map = json_object_get(ctx->configmaps, name);
        if (!map && !json_is_true(json_object_get(ref, "optional")))
                return cpod_error_set(err, ENOENT, CPOD_E_INVALID, "kube: container %s: envFrom: %s %s not found", ctr,
                                      secret ? "secret" : "configmap", name);
        json_object_foreach((json_t *)map, k, v)
                json_array_append_new(env, json_sprintf("%s%s=%s", prefix ? prefix : "", k, json_string_value(v)));
        return 0;
}

int kube_ctr_env(struct kube_ctx *ctx, const char *ctr, const json_t *c, json_t *env, cpod_error_t *err)
{
        const json_t *e;
        size_t i;
        int r;

        /* envFrom first: a variable of env overrides one of the same name, as in Kubernetes. */
        json_array_foreach(json_object_get(c, "envFrom"), i, e)
                if ((r = one_source(ctx, ctr, e, env, err)) < 0)
                        return r;
        json_array_foreach(json_object_get(c, "env"), i, e)
                if ((r = one_var(ctx, ctr, e, env, err)) < 0)
                        return r;
        return 0;
}
