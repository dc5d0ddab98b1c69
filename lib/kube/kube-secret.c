/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The data of Secrets by name: those of the YAML, else one of cpod's secret
 * store, as podman resolves secretKeyRef, envFrom secretRef and secret
 * volumes through its secrets manager.  A stored secret is read as a
 * Kubernetes Secret (what kube play stores: its data base64, stringData
 * text) or, when it has no "kind", as an object of base64 values (podman's
 * map of bytes, what `cpod secret create` of such a JSON file holds).  The
 * values must be text (they become environment variables and files).  The
 * stored data is cleared from memory once parsed, and no error message
 * quotes it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/secret.h>

#include "kube/kube-internal.h"
#include "kube/yaml-read.h"

#include "util/base64.h"
#include "util/cleanup.h"
#include "util/json.h"

static int bad_value(const char *name, const char *what, const char *key, cpod_error_t *err)
{
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "kube: Secret %s: %s.%s is not base64 of text", name, what,
                              key);
}

/* into ret: each member of obj, base64-decoded when b64 (then it must be text). */
static int add_values(const char *name, const json_t *obj, const char *what, bool b64, json_t *ret, cpod_error_t *err)
{
        const char *k;
        json_t *v;

        json_object_foreach((json_t *)obj, k, v) {
                size_t n;
                char *d;

                if (!json_is_string(v))
                        return b64 ? bad_value(name, what, k, err)
                                   : cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                                    "kube: Secret %s: %s.%s must be a string", name, what, k);
                if (!b64) {
                        json_object_set(ret, k, v);
                        continue;
                }
                if (!(d = b64_decode(json_string_value(v), false, &n)) || strlen(d) != n) {
                        free(d);
                        return bad_value(name, what, k, err);
                }
                json_object_set_new(ret, k, json_string_take(d));
        }
        return 0;
}

int kube_secret_values(const char *name, const json_t *doc, json_t **ret, cpod_error_t *err)
{
        _cleanup_json_ json_t *out = json_object();
        int r;

        if (!json_is_object(doc))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "kube: secret %s is not a mapping", name);
        if (!json_object_get(doc, "kind")) /* podman's map of base64 values */
                r = add_values(name, doc, "data", true, out, err);
        else if ((r = add_values(name, json_object_get(doc, "data"), "data", true, out, err)) == 0)
                r = add_values(name, json_object_get(doc, "stringData"), "stringData", false, out, err);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(out);
        return 0;
}

static int from_store(struct kube_ctx *ctx, const char *name, json_t **ret, cpod_error_t *err)
{
        cpod_error_t lerr = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *docs = NULL;
        char *data = NULL;
        size_t len = 0;
        int r;

        *ret = NULL;
        if (cpod_secret_read_data(ctx->rt, name, &data, &len, &lerr) < 0) {
                if (lerr.kind == CPOD_E_NO_SUCH_OBJECT) {
                        cpod_error_clear(&lerr);
                        return 0;
                }
                cpod_error_move(err, &lerr);
                return -EIO;
        }
        r = yaml_read_all(data, len, NULL, &docs, NULL);
        explicit_bzero(data, len);
        free(data);
        if (r < 0 || json_array_size(docs) != 1 || !json_is_object(json_array_get(docs, 0)))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "kube: secret %s of the secret store is not a Kubernetes Secret or a JSON object "
                                      "of base64 values",
                                      name);
        return kube_secret_values(name, json_array_get(docs, 0), ret, err);
}

int kube_secret(struct kube_ctx *ctx, const char *name, const json_t **ret, cpod_error_t *err)
{
        json_t *v = json_object_get(ctx->secrets, name);
        int r;

        if (!v) {
                if ((r = from_store(ctx, name, &v, err)) < 0)
                        return r;
                if (v)
                        json_object_set_new(ctx->secrets, name, v);
        }
        *ret = v;
        return 0;
}
