/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A Kubernetes container as cpod_ctr_create params, named POD-CONTAINER as
 * podman names it.  command replaces the image's entrypoint, args its
 * command; limits become cgroup limits, requests a memory reservation and
 * CPU shares (as podman).
 */
#include <errno.h>
#include <string.h>

#include "kube/kube-internal.h"

#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

static const char *const ctr_known[] = {
        "name",      "image",           "command",       "args",
        "env",       "envFrom",         "ports",         "workingDir",
        "resources", "securityContext", "volumeMounts",  "imagePullPolicy",
        "tty",       "stdin",           "livenessProbe", NULL,
};

static int set_resources(const char *name, const json_t *res, json_t *p, cpod_error_t *err)
{
        const json_t *lim = json_object_get(res, "limits"), *req = json_object_get(res, "requests"), *v;
        double q;
        int r;

        if ((v = json_object_get(lim, "memory"))) {
                if ((r = kube_quantity_json(v, "resources.limits.memory", &q, err)) < 0)
                        return r;
                json_object_set_new(p, "Memory", json_integer((json_int_t)q));
        }
        if ((v = json_object_get(lim, "cpu"))) {
                if ((r = kube_quantity_json(v, "resources.limits.cpu", &q, err)) < 0)
                        return r;
                json_object_set_new(p, "Cpus", json_real(q));
        }
        if ((v = json_object_get(req, "memory"))) {
                if ((r = kube_quantity_json(v, "resources.requests.memory", &q, err)) < 0)
                        return r;
                json_object_set_new(p, "MemoryReservation", json_integer((json_int_t)q));
        }
        if ((v = json_object_get(req, "cpu"))) {
                if ((r = kube_quantity_json(v, "resources.requests.cpu", &q, err)) < 0)
                        return r;
                json_object_set_new(p, "CpuShares", json_integer(q * 1024 < 2 ? 2 : (json_int_t)(q * 1024)));
        }
        (void)name;
        return 0;
}

static void set_user(const json_t *sc, const json_t *pod_sc, json_t *p)
{
        const json_t *u = json_object_get(sc, "runAsUser"), *g = json_object_get(sc, "runAsGroup");

        if (!u)
                u = json_object_get(pod_sc, "runAsUser");
        if (!g)
                g = json_object_get(pod_sc, "runAsGroup");
        if (json_is_integer(u) && json_is_integer(g))
                json_object_set_new(p, "User",
                                    json_sprintf("%" JSON_INTEGER_FORMAT ":%" JSON_INTEGER_FORMAT,
                                                 json_integer_value(u), json_integer_value(g)));
        else if (json_is_integer(u))
                json_object_set_new(p, "User", json_sprintf("%" JSON_INTEGER_FORMAT, json_integer_value(u)));
        else if (json_is_integer(g))
                json_object_set_new(p, "User", json_sprintf("0:%" JSON_INTEGER_FORMAT, json_integer_value(g)));
}

static void set_security(struct kube_ctx *ctx, const char *name, const json_t *sc, const json_t *pod_sc, json_t *p)
{
        static const char *const known[] = { "runAsUser",
                                             "runAsGroup",
                                             "capabilities",
                                             "privileged",
                                             "readOnlyRootFilesystem",
                                             "allowPrivilegeEscalation",
                                             NULL };
        const json_t *caps = json_object_get(sc, "capabilities");
        _cleanup_free_ char *where = xasprintf("container %s securityContext", name);

        kube_warn_unknown(ctx, sc, where, known);
        set_user(sc, pod_sc, p);
        if (json_object_get(caps, "add"))
                json_object_set(p, "CapAdd", json_object_get(caps, "add"));
        if (json_object_get(caps, "drop"))
                json_object_set(p, "CapDrop", json_object_get(caps, "drop"));
        json_object_set_new(p, "Privileged", json_boolean(json_is_true(json_object_get(sc, "privileged"))));
        json_object_set_new(p, "ReadOnly", json_boolean(json_is_true(json_object_get(sc, "readOnlyRootFilesystem"))));
        if (json_is_false(json_object_get(sc, "allowPrivilegeEscalation")))
                json_object_set_new(p, "NoNewPrivileges", json_true());
}

static int one_mount(const char *name, const json_t *m, const json_t *vols, json_t *out, cpod_error_t *err)
{
        const char *vol = json_get_str(m, "name"), *dst = json_get_str(m, "mountPath");
        const json_t *v = vol ? json_object_get(vols, vol) : NULL;
        const char *kind = json_get_str(v, "Kind"), *src = json_get_str(v, "Source");
        bool ro = json_is_true(json_object_get(m, "readOnly")) || strcmp(kind ? kind : "", "data") == 0;

        if (!v || !dst || dst[0] != '/')
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "kube: container %s: volumeMount %s needs a volume of the pod and an absolute "
                                      "mountPath",
                                      name, vol ? vol : "?");
        if (json_get_str(m, "subPath") && *json_get_str(m, "subPath"))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "kube: container %s: volumeMount %s: subPath is not supported by cpod", name,
                                      vol);
        if (strcmp(kind, "emptyDir") == 0)
                json_array_append_new(out, json_string(dst));
        else
                json_array_append_new(out, json_sprintf("%s:%s%s", src, dst, ro ? ":ro" : ""));
        return 0;
}

static int set_mounts(struct kube_ctx *ctx, const char *name, const json_t *c, const json_t *vols, json_t *p,
                      cpod_error_t *err)
{
        _cleanup_json_ json_t *out = json_array();
        const json_t *m;
        size_t i;
        int r;

        json_array_foreach(json_object_get(c, "volumeMounts"), i, m) {
                if (json_get_str(m, "mountPropagation"))
                        rt_warn(ctx->rt, "kube: container %s: mountPropagation is not supported, ignoring", name);
                if ((r = one_mount(name, m, vols, out, err)) < 0)
                        return r;
        }
        json_object_set(p, "Volumes", out);
        return 0;
}

static const char *restart_policy(const json_t *spec, bool init)
{
        const char *rp = json_get_str(spec, "restartPolicy");

        if (init || (rp && strcmp(rp, "Never") == 0))
                return "no";
        if (rp && strcmp(rp, "OnFailure") == 0)
                return "on-failure";
        return "always";
}

static int check_strv(const json_t *v, const char *name, const char *what, cpod_error_t *err)
{
        const json_t *x;
        size_t i;

        if (!v)
                return 0;
        if (!json_is_array(v))
                goto bad;
        json_array_foreach(v, i, x)
                if (!json_is_string(x))
                        goto bad;
        return 0;
bad:
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "kube: container %s: %s must be a list of strings", name,
                              what);
}

static void set_basics(struct kube_ctx *ctx, const char *pod, const json_t *c, const json_t *info, bool init, json_t *p)
{
        const json_t *spec = json_object_get(info, "Spec"), *meta = json_object_get(info, "Meta");
        const json_t *cmd = json_object_get(c, "command"), *args = json_object_get(c, "args");

        json_object_set_new(p, "Pod", json_string(pod));
        if (cmd) {
                json_object_set(p, "Entrypoint", (json_t *)cmd);
                json_object_set_new(p, "Command", args ? json_incref((json_t *)args) : json_array());
        } else if (args) {
                json_object_set(p, "Command", (json_t *)args);
        }
        if (json_get_str(c, "workingDir"))
                json_object_set(p, "WorkingDir", json_object_get(c, "workingDir"));
        if (json_is_object(json_object_get(meta, "labels")))
                json_object_set(p, "Labels", json_object_get(meta, "labels"));
        json_object_set_new(p, "Annotations",
                            json_is_object(json_object_get(meta, "annotations"))
                                    ? json_copy(json_object_get(meta, "annotations"))
                                    : json_object());
        /* --annotation on every container; --log-driver and --log-opt */
        json_object_update(json_object_get(p, "Annotations"), (json_t *)ctx->opts->annotations);
        json_object_update(p, (json_t *)ctx->opts->log);
        json_object_set_new(p, "RestartPolicy", json_string(restart_policy(spec, init)));
        if (json_is_integer(json_object_get(spec, "terminationGracePeriodSeconds")))
                json_object_set(p, "StopTimeout", json_object_get(spec, "terminationGracePeriodSeconds"));
        json_object_set_new(p, "Tty", json_boolean(json_is_true(json_object_get(c, "tty"))));
        json_object_set_new(p, "Stdin", json_boolean(json_is_true(json_object_get(c, "stdin"))));
}

int kube_ctr_params(struct kube_ctx *ctx, const char *pod, const json_t *c, const json_t *info, bool init, json_t **ret,
                    cpod_error_t *err)
{
        const char *name = json_get_str(c, "name"), *image = json_get_str(c, "image");
        _cleanup_json_ json_t *p = json_object(), *env = json_array();
        _cleanup_free_ char *where = NULL;
        int r;

        if (!name || !*name || !image || !*image)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "kube: pod %s: every container needs a name and an image", pod);
        where = xasprintf("container %s", name);
        kube_warn_unknown(ctx, c, where, ctr_known);
        if ((r = check_strv(json_object_get(c, "command"), name, "command", err)) < 0 ||
            (r = check_strv(json_object_get(c, "args"), name, "args", err)) < 0)
                return r;
        json_object_set_new(p, "Name", json_sprintf("%s-%s", pod, name));
        json_object_set_new(p, "Image", json_string(image));
        set_basics(ctx, pod, c, info, init, p);
        if ((r = kube_image_need(ctx, name, image, json_get_str(c, "imagePullPolicy"), err)) < 0 ||
            (r = kube_ctr_env(ctx, name, c, info, p, env, err)) < 0 ||
            (r = set_resources(name, json_object_get(c, "resources"), p, err)) < 0 ||
            (r = set_mounts(ctx, name, c, json_object_get(info, "Volumes"), p, err)) < 0)
                return r;
        json_object_set(p, "Env", env);
        if ((r = kube_ctr_probe(ctx, name, c, p, err)) < 0)
                return r;
        set_security(ctx, name, json_object_get(c, "securityContext"),
                     json_object_get(json_object_get(info, "Spec"), "securityContext"), p);
        *ret = TAKE_PTR(p);
        return 0;
}
