/* SPDX-License-Identifier: Apache-2.0 */
/* Small readers of Kubernetes values: unknown fields, quantities, base64. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kube/kube-internal.h"

#include "runtime/runtime-internal.h"
#include "util/json.h"
#include "util/xalloc.h"

void kube_warn_unknown(struct kube_ctx *ctx, const json_t *obj, const char *where, const char *const *known)
{
        const char *k;
        json_t *v;

        json_object_foreach((json_t *)obj, k, v) {
                const char *const *p = known;

                while (*p && strcmp(*p, k) != 0)
                        p++;
                if (!*p)
                        rt_warn(ctx->rt, "kube: %s.%s is not supported, ignoring", where, k);
        }
}

bool kube_quantity(const char *s, double *ret)
{
        static const struct {
                const char *suffix;
                double mult;
        } units[] = {
                { "Ki", 1024.0 }, { "Mi", 1048576.0 }, { "Gi", 1073741824.0 }, { "Ti", 1099511627776.0 },
                { "k", 1e3 },     { "M", 1e6 },        { "G", 1e9 },           { "T", 1e12 },
                { "m", 1e-3 },    { "", 1.0 },
        };
        char *end;
        double v;

        if (!*s || strchr("+-.0123456789", *s) == NULL)
                return false;
        errno = 0;
        v = strtod(s, &end);
        if (errno || end == s || v < 0 || !isfinite(v) || strpbrk(s, "xXpP"))
                return false;
        for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
                if (strcmp(end, units[i].suffix) == 0) {
                        *ret = v * units[i].mult;
                        return true;
                }
        return false;
}

int kube_quantity_json(const json_t *v, const char *what, double *ret, cpod_error_t *err)
{
        if (json_is_number(v) && json_number_value(v) >= 0) {
                *ret = json_number_value(v);
                return 0;
        }
        if (json_is_string(v) && kube_quantity(json_string_value(v), ret))
                return 0;
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "kube: %s: invalid quantity", what);
}

int kube_replicas(const json_t *doc, json_int_t *ret, cpod_error_t *err)
{
        const json_t *v = json_object_get(json_object_get(doc, "spec"), "replicas");
        const char *name = json_get_str(json_object_get(doc, "metadata"), "name");

        *ret = 1;
        if (!v || json_is_null(v))
                return 0;
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > KUBE_MAX_REPLICAS)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "kube: Deployment %s: spec.replicas must be an integer from 0 to %d",
                                      name ? name : "?", KUBE_MAX_REPLICAS);
        *ret = json_integer_value(v);
        return 0;
}
