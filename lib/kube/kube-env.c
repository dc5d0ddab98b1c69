/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A container's environment: env (value, or valueFrom a configMapKeyRef or
 * secretKeyRef) and envFrom (every key of a ConfigMap or Secret, with an
 * optional prefix).  ConfigMaps come from the YAML and --configmap, Secrets
 * from the YAML or cpod's secret store.  fieldRef and resourceFieldRef as podman 4.3.1 resolves
 * them: the pod's name, ID (metadata.uid: set when the pod is created, see KUBE_UID_ENV), labels
 * and annotations; the container's memory and CPU limits and requests (the host's memory and CPUs
 * when unset), divided by the divisor and rounded up.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kube/kube-internal.h"

#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

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

/* metadata.labels['K'] / metadata.annotations['K']: the map's K ("" when missing), or NULL when path is neither. */
static const char *meta_key(const json_t *meta, const char *path)
{
        static const char *const maps[] = { "labels", "annotations" };

        for (size_t i = 0; i < 2; i++) {
                char prefix[32];
                size_t pl = (size_t)snprintf(prefix, sizeof(prefix), "metadata.%s['", maps[i]), n = strlen(path);
                if (n > pl + 2 && strncmp(path, prefix, pl) == 0 && strcmp(path + n - 2, "']") == 0) {
                        char key[256];
                        snprintf(key, sizeof(key), "%.*s", (int)(n - pl - 2), path + pl);
                        const char *v = json_get_str(json_object_get(meta, maps[i]), key);
                        return v ? v : "";
                }
        }
        return NULL;
}

static int field_ref(const json_t *info, const char *ctr, const char *var, const json_t *ref, json_t *p, char **ret,
                     cpod_error_t *err)
{
        const json_t *meta = json_object_get(info, "Meta");
        const char *path = json_get_str(ref, "fieldPath"), *v;

        *ret = NULL;
        if (path && strcmp(path, "metadata.name") == 0) {
                *ret = xstrdup(json_get_str(info, "Pod"));
                return 0;
        }
        if (path && strcmp(path, "metadata.uid") == 0) { /* the pod's ID, known once it is created */
                json_t *l = json_object_get(p, KUBE_UID_ENV);
                if (!l)
                        json_object_set_new(p, KUBE_UID_ENV, l = json_array());
                json_array_append_new(l, json_string(var));
                return 1;
        }
        if (path && (v = meta_key(meta, path))) {
                *ret = xstrdup(v);
                return 0;
        }
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                              "kube: container %s: Can not set env %s. Reason: fieldPath %s is either not valid or not "
                              "supported",
                              ctr, var, path ? path : "");
}

/* The container's limit or request (the host's memory or CPUs when the YAML has none). */
static double resource_value(const json_t *c, const char *which, bool memory)
{
        const json_t *res = json_object_get(c, "resources"), *v;
        double q = 0;

        v = json_object_get(json_object_get(res, which), memory ? "memory" : "cpu");
        if (v && kube_quantity_json(v, "resource", &q, NULL) == 0 && q > 0)
                return q;
        if (strcmp(which, "requests") == 0) /* an unset request is the limit */
                return resource_value(c, "limits", memory);
        if (memory)
                return (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);
        return (double)sysconf(_SC_NPROCESSORS_ONLN);
}

static int resource_ref(const json_t *c, const char *ctr, const char *var, const json_t *ref, char **ret,
                        cpod_error_t *err)
{
        static const char *const mem_div[] = { "1",   "1k",  "1M",  "1G",  "1T",  "1P",  "1E",
                                               "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei", NULL };
        static const char *const cpu_div[] = { "1", "1m", NULL };
        const char *res = json_get_str(ref, "resource"), *div = json_get_str(ref, "divisor");
        bool memory = res && (strcmp(res, "limits.memory") == 0 || strcmp(res, "requests.memory") == 0);
        bool cpu = res && (strcmp(res, "limits.cpu") == 0 || strcmp(res, "requests.cpu") == 0);
        const char *const *ok = memory ? mem_div : cpu_div;
        double d = 1;
        bool valid = !div || !*div;

        *ret = NULL;
        if (!memory && !cpu)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "kube: container %s: Can not set env %s. Reason: resource %s is either not "
                                      "valid or not supported",
                                      ctr, var, res ? res : "");
        for (size_t i = 0; !valid && ok[i]; i++)
                valid = strcmp(div, ok[i]) == 0;
        if (!valid || (div && *div && !kube_quantity(div, &d)) || d <= 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "kube: container %s: Can not set env %s. Reason: divisor value %s is not valid",
                                      ctr, var, div);
        *ret = xasprintf("%.0f", ceil(resource_value(c, res[0] == 'l' ? "limits" : "requests", memory) / d));
        return 0;
}

static int one_var(struct kube_ctx *ctx, const char *ctr, const json_t *c, const json_t *info, const json_t *e,
                   json_t *p, json_t *env, cpod_error_t *err)
{
        const char *name = json_get_str(e, "name"), *val = json_get_str(e, "value");
        const json_t *from = json_object_get(e, "valueFrom"), *ref;
        _cleanup_free_ char *computed = NULL;
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
                } else if ((ref = json_object_get(from, "fieldRef"))) {
                        if ((r = field_ref(info, ctr, name, ref, p, &computed, err)) != 0)
                                return r < 0 ? r : 0; /* 1: the pod's ID, added when it is known */
                        val = computed;
                } else if ((ref = json_object_get(from, "resourceFieldRef"))) {
                        if ((r = resource_ref(c, ctr, name, ref, &computed, err)) < 0)
                                return r;
                        val = computed;
                } else {
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "kube: container %s: env %s: valueFrom needs configMapKeyRef, "
                                              "secretKeyRef, fieldRef or resourceFieldRef",
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

int kube_ctr_env(struct kube_ctx *ctx, const char *ctr, const json_t *c, const json_t *info, json_t *p, json_t *env,
                 cpod_error_t *err)
{
        const json_t *e;
        size_t i;
        int r;

        /* envFrom first: a variable of env overrides one of the same name, as in Kubernetes. */
        json_array_foreach(json_object_get(c, "envFrom"), i, e)
                if ((r = one_source(ctx, ctr, e, env, err)) < 0)
                        return r;
        json_array_foreach(json_object_get(c, "env"), i, e)
                if ((r = one_var(ctx, ctr, c, info, e, p, env, err)) < 0)
                        return r;
        return 0;
}
