/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kube generate: the names are looked up as containers, pods, then volumes
 * (podman's order); the documents are written in helm's install order
 * (claims, services, pods) after podman's header comment, keys sorted as
 * Go's YAML marshaller sorts them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <cpod/container.h>
#include <cpod/kube.h>
#include <cpod/pod.h>
#include <cpod/volume.h>

#include "format/yaml-emit.h"
#include "kube/gen.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

#define NS_NOTE                                                                                                        \
        "\n# NOTE: The namespace sharing for a pod has been modified by the user and is not the same as the\n"         \
        "# default settings for kubernetes. This can lead to unexpected behavior when running the generated\n"         \
        "# kube yaml in a kubernetes cluster.\n"
#define SELINUX_NOTE                                                                                                   \
        "\n# NOTE: If you generated this yaml from an unprivileged and rootless podman container on an SELinux\n"      \
        "# enabled system, check the podman generate kube man page for steps to follow to ensure that your "           \
        "pod/container\n# has the right permissions to access the volumes added.\n"

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A copy with every object's keys in byte order (Go's YAML goes through encoding/json maps). */
static json_t *sorted(const json_t *j)
{
        json_t *out, *v;
        const char *k;
        size_t i = 0, n;

        if (json_is_array(j)) {
                out = json_array();
                json_array_foreach(j, i, v)
                        json_array_append_new(out, sorted(v));
                return out;
        }
        if (!json_is_object(j))
                return json_copy((json_t *)j);
        n = json_object_size(j);
        {
                _cleanup_free_ const char **keys = xnew0(const char *, n + 1);
                json_object_foreach((json_t *)j, k, v)
                        keys[i++] = k;
                qsort(keys, n, sizeof(*keys), cmp_str);
                out = json_object();
                for (i = 0; i < n; i++)
                        json_object_set_new(out, keys[i], sorted(json_object_get(j, keys[i])));
        }
        return out;
}

static void add_doc(json_t *content, const json_t *doc)
{
        _cleanup_json_ json_t *s = sorted(doc);
        struct strbuf sb = STRBUF_INIT;

        yaml_emit(s, &sb);
        json_array_append_new(content, json_string_take(strbuf_detach(&sb, NULL)));
}

/* podman's Volume.GenerateForKube: a 1Gi ReadWriteOnce claim carrying the volume's driver and options. */
static int volume_claim(struct cpod_runtime *rt, const char *name, json_t **ret, cpod_error_t *err)
{
        static const struct {
                const char *opt, *annotation;
        } opts[] = {
                { "o", "volume.podman.io/mount-options" }, { "device", "volume.podman.io/device" },
                { "type", "volume.podman.io/type" },       { "UID", "volume.podman.io/uid" },
                { "GID", "volume.podman.io/gid" },
        };
        _cleanup_json_ json_t *v = NULL;
        json_t *ann, *meta;
        int r;

        if ((r = cpod_volume_inspect(rt, name, &v, err)) < 0)
                return r;
        ann = json_pack("{s:s}", "volume.podman.io/driver", json_get_str(v, "Driver") ?: "local");
        for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
                const char *val = json_get_str(json_object_get(v, "Options"), opts[i].opt);
                if (val)
                        json_object_set_new(ann, opts[i].annotation, json_string(val));
        }
        meta = kube_gen_meta(json_get_str(v, "Name"), NULL);
        json_object_del(meta, "labels");
        if (json_object_size(json_object_get(v, "Labels")))
                json_object_set(meta, "labels", json_object_get(v, "Labels"));
        json_object_set_new(meta, "annotations", ann);
        *ret = json_pack("{s:s, s:s, s:o, s:{s:[s], s:{s:{s:s}}}, s:{}}", "apiVersion", "v1", "kind",
                         "PersistentVolumeClaim", "metadata", meta, "spec", "accessModes", "ReadWriteOnce", "resources",
                         "requests", "storage", "1Gi", "status");
        return 0;
}

/* A random NodePort in Kubernetes' range 30000-32767, unique in used. */
static int node_port(json_t *used, cpod_error_t *err)
{
        for (int attempt = 0; attempt < 100; attempt++) {
                unsigned int x = 0;
                char key[8];
                int port;

                if (getrandom(&x, sizeof(x), 0) != sizeof(x))
                        x = (unsigned int)rand();
                port = 30000 + (int)(x % (32767 - 30000 + 1));
                snprintf(key, sizeof(key), "%d", port);
                if (!json_object_get(used, key)) {
                        json_object_set_new(used, key, json_true());
                        return port;
                }
        }
        return cpod_error_set(err, EAGAIN, CPOD_E_INTERNAL,
                              "too many attempts trying to generate a unique NodePort number");
}

/* podman's GenerateKubeServiceFromV1Pod: the pod's metadata without annotations, a NodePort per port. */
static int service(const json_t *pod, const json_t *ports, json_t **ret, cpod_error_t *err)
{
        _cleanup_json_ json_t *used = json_object(), *sps = json_array(), *all = NULL;
        json_t *meta = json_deep_copy(json_object_get(pod, "metadata"));
        const json_t *p, *c;
        size_t i, j;

        json_object_del(meta, "annotations");
        if (!ports) {
                all = json_array();
                json_array_foreach(json_path((json_t *)pod, "spec.containers"), i, c)
                        json_array_foreach(json_object_get(c, "ports"), j, p)
                                json_array_append(all, (json_t *)p);
                ports = all;
        }
        json_array_foreach(ports, i, p) {
                json_int_t cp = json_get_int(p, "containerPort", 0);
                int np = node_port(used, err);
                json_t *sp;
                if (np < 0) {
                        json_decref(meta);
                        return np;
                }
                sp = json_pack("{s:o, s:i, s:I, s:I}", "name", json_sprintf("%" JSON_INTEGER_FORMAT, cp), "nodePort",
                               np, "port", cp, "targetPort", cp);
                json_array_append_new(sps, sp);
                if (json_get_str(p, "protocol"))
                        json_object_set(sp, "protocol", json_object_get(p, "protocol"));
        }
        *ret = json_pack("{s:s, s:s, s:o, s:{s:O, s:{s:O}, s:s}}", "apiVersion", "v1", "kind", "Service", "metadata",
                         meta, "spec", "ports", sps, "selector", "app", json_path((json_t *)pod, "metadata.labels.app"),
                         "type", "NodePort");
        return 0;
}

/* Where each name goes: containers (standalone only), pods, volumes; podman's errors otherwise. */
static int sort_names(struct cpod_runtime *rt, char *const *names, char ***ctrs, char ***pods, char ***vols,
                      cpod_error_t *err)
{
        for (char *const *n = names; *n; n++) {
                _cleanup_json_ json_t *cfg = NULL, *vol = NULL;
                char id[65];

                if (cpod_ctr_config(rt, *n, &cfg, NULL) == 0) {
                        const char *pod = json_get_str(cfg, "PodID");
                        if (pod && *pod)
                                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                                      "container %s is associated with pod %s: use generate on the "
                                                      "pod itself",
                                                      json_get_str(cfg, "Id"), pod);
                        strv_add(ctrs, json_get_str(cfg, "Id"));
                } else if (cpod_pod_lookup(rt, *n, id, NULL) == 0) {
                        strv_add(pods, id);
                } else if (cpod_volume_inspect(rt, *n, &vol, NULL) == 0) {
                        strv_add(vols, json_get_str(vol, "Name"));
                } else {
                        return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_OBJECT, "name or ID \"%s\" not found", *n);
                }
        }
        return 0;
}

/* A pod whose members do not share ipc, net and uts with it differs from a Kubernetes pod. */
static bool default_sharing(struct cpod_runtime *rt, const char *pod)
{
        _cleanup_json_ json_t *insp = NULL;
        bool ipc = false, net = false, uts = false;
        const json_t *v;
        size_t i;

        if (cpod_pod_inspect(rt, pod, &insp, NULL) < 0)
                return true;
        json_array_foreach(json_object_get(insp, "SharedNamespaces"), i, v) {
                const char *s = json_string_value(v) ?: "";
                ipc |= strcmp(s, "ipc") == 0;
                net |= strcmp(s, "net") == 0;
                uts |= strcmp(s, "uts") == 0;
        }
        return ipc && net && uts;
}

static int generate(struct cpod_runtime *rt, char **ctrs, char **pods, char **vols, bool svc, json_t *content,
                    cpod_error_t *err)
{
        _cleanup_json_ json_t *pod_docs = json_array();
        bool ns_default = true;
        int r;

        for (char **p = pods; p && *p; p++)
                ns_default &= default_sharing(rt, *p);
        if (!ns_default)
                json_array_append_new(content, json_string(NS_NOTE));
        for (char **v = vols; v && *v; v++) {
                _cleanup_json_ json_t *doc = NULL;
                if ((r = volume_claim(rt, *v, &doc, err)) < 0)
                        return r;
                add_doc(content, doc);
        }
        for (char **p = pods; p && *p; p++) {
                _cleanup_json_ json_t *doc = NULL, *ports = NULL, *sdoc = NULL;
                if ((r = kube_gen_pod(rt, *p, &doc, &ports, err)) < 0)
                        return r;
                add_doc(pod_docs, doc);
                if (svc) {
                        if ((r = service(doc, json_array_size(ports) ? ports : NULL, &sdoc, err)) < 0)
                                return r;
                        add_doc(content, sdoc);
                }
        }
        if (ctrs && *ctrs) {
                _cleanup_json_ json_t *doc = NULL, *sdoc = NULL;
                if ((r = kube_gen_ctrs(rt, ctrs, &doc, err)) < 0)
                        return r;
                if (json_array_size(json_path(doc, "spec.volumes")))
                        json_array_append_new(content, json_string(SELINUX_NOTE));
                add_doc(pod_docs, doc);
                if (svc) {
                        if ((r = service(doc, NULL, &sdoc, err)) < 0)
                                return r;
                        add_doc(content, sdoc);
                }
        }
        json_array_extend(content, pod_docs);
        return 0;
}

int cpod_kube_generate(struct cpod_runtime *rt, char *const *names, const struct cpod_kube_generate_opts *o, char **ret,
                       cpod_error_t *err)
{
        _cleanup_strv_ char **ctrs = NULL, **pods = NULL, **vols = NULL;
        _cleanup_json_ json_t *content = json_array();
        struct strbuf sb = STRBUF_INIT;
        const json_t *v;
        size_t i;
        int r;

        if (!names || !*names)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "requires at least 1 arg(s), only received 0");
        if ((r = sort_names(rt, names, &ctrs, &pods, &vols, err)) < 0 ||
            (r = generate(rt, ctrs, pods, vols, o && o->service, content, err)) < 0)
                return r;
        strbuf_addf(&sb,
                    "# Save the output of this file and use kubectl create -f to import\n# it into Kubernetes.\n#\n"
                    "# Created with cpod-%s\n",
                    cpod_version());
        json_array_foreach(content, i, v) {
                if (i)
                        strbuf_addstr(&sb, "---\n");
                strbuf_addstr(&sb, json_string_value(v));
        }
        *ret = strbuf_detach(&sb, NULL);
        return 0;
}
