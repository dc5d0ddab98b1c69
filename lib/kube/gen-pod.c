/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kube generate: a cpod pod, or a list of standalone containers, as one
 * Kubernetes v1 Pod (podman 4.3.1's newPodObject): metadata with the app
 * label, the containers' annotations suffixed with their names, the
 * containers sorted by creation, the pod's published ports on its first
 * container, volumes once per pod, hostname, host aliases, DNS and the
 * restart policy of the first container.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cpod/container.h>
#include <cpod/pod.h>

#include "kube/gen.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

json_t *kube_gen_meta(const char *name, const json_t *labels)
{
        char ts[32];
        time_t now = time(NULL);
        struct tm tm;
        json_t *l = json_object();

        if (json_is_object(labels))
                json_object_update(l, (json_t *)labels);
        json_object_set_new(l, "app", json_string_take(kube_gen_name(name)));
        gmtime_r(&now, &tm);
        strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
        return json_pack("{s:s, s:o, s:s}", "name", name, "labels", l, "creationTimestamp", ts);
}

/* podman writes the OCI annotations of each container as KEY/CONTAINER; these are the ones it always has. */
static void annotations(const struct kube_gen_ctr *c, json_t *out)
{
        const json_t *cfg = c->config;
        const char *name = json_get_str(c->container, "name"), *k;
        json_t *v;
        const struct {
                const char *key, *member;
        } flags[] = {
                { "io.podman.annotations.autoremove", "Rm" },
                { "io.podman.annotations.init", "Init" },
                { "io.podman.annotations.privileged", "Privileged" },
                { "io.podman.annotations.publish-all", "PublishAll" },
        };

        json_object_foreach(json_object_get(cfg, "Annotations"), k, v)
                if (json_is_string(v)) {
                        _cleanup_free_ char *key = xasprintf("%s/%s", k, name);
                        json_object_set(out, key, v);
                }
        for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
                _cleanup_free_ char *key = xasprintf("%s/%s", flags[i].key, name);
                json_object_set_new(
                        out, key, json_string(json_is_true(json_object_get(cfg, flags[i].member)) ? "TRUE" : "FALSE"));
        }
}

static const char *restart_policy(const json_t *cfg)
{
        const char *rp = json_get_str(cfg, "RestartPolicy");

        if (rp && strcmp(rp, "always") == 0)
                return "Always";
        if (rp && strncmp(rp, "on-failure", 10) == 0)
                return "OnFailure";
        return "Never";
}

static void append_unique(json_t *a, const json_t *v)
{
        const json_t *x;
        size_t i;

        json_array_foreach(a, i, x)
                if (json_equal(x, v))
                        return;
        json_array_append(a, (json_t *)v);
}

/* --dns, --dns-search, --dns-option and --add-host of cfg, merged into the pod's spec. */
static void dns_and_hosts(const json_t *cfg, json_t *dns, json_t *aliases)
{
        const json_t *v;
        size_t i;

        json_array_foreach(json_object_get(cfg, "Dns"), i, v)
                append_unique(json_object_get(dns, "nameservers"), v);
        json_array_foreach(json_object_get(cfg, "DnsSearch"), i, v)
                append_unique(json_object_get(dns, "searches"), v);
        json_array_foreach(json_object_get(cfg, "DnsOption"), i, v) {
                const char *o = json_string_value(v), *colon = o ? strchr(o, ':') : NULL;
                json_t *opt = colon ? json_pack("{s:s%, s:s}", "name", o, (size_t)(colon - o), "value", colon + 1)
                                    : json_pack("{s:s}", "name", o ? o : "");
                append_unique(json_object_get(dns, "options"), opt);
                json_decref(opt);
        }
        json_array_foreach(json_object_get(cfg, "AddHost"), i, v) {
                const char *h = json_string_value(v), *colon = h ? strchr(h, ':') : NULL;
                json_t *a;
                if (!colon)
                        continue;
                a = json_pack("{s:s, s:[s%]}", "ip", colon + 1, "hostnames", h, (size_t)(colon - h));
                append_unique(aliases, a);
                json_decref(a);
        }
}

struct pod_parts {
        json_t *containers, *volumes, *annotations, *dns, *aliases;
        const char *restart;
};

static void parts_init(struct pod_parts *p)
{
        p->containers = json_array();
        p->volumes = json_object();
        p->annotations = json_object();
        p->dns = json_pack("{s:[], s:[], s:[]}", "nameservers", "searches", "options");
        p->aliases = json_array();
        p->restart = NULL;
}

static void parts_clear(struct pod_parts *p)
{
        json_decref(p->containers);
        json_decref(p->volumes);
        json_decref(p->annotations);
        json_decref(p->dns);
        json_decref(p->aliases);
}

static int add_container(struct cpod_runtime *rt, const char *id, struct pod_parts *p, cpod_error_t *err)
{
        struct kube_gen_ctr c = { 0 };
        int r;

        if ((r = kube_gen_container(rt, id, &c, err)) < 0)
                return r;
        annotations(&c, p->annotations);
        json_object_update(p->volumes, c.volumes);
        if (!p->restart)
                p->restart = restart_policy(c.config);
        json_array_append(p->containers, c.container);
        kube_gen_ctr_clear(&c);
        return 0;
}

/* The v1 Pod: podman's newPodObject, with the pieces collected. */
static json_t *pod_object(const char *name, const json_t *labels, struct pod_parts *p, const char *hostname,
                          bool host_network)
{
        json_t *spec = json_pack("{s:b, s:b, s:O}", "automountServiceAccountToken", false, "enableServiceLinks", false,
                                 "containers", p->containers);
        json_t *meta = kube_gen_meta(name, labels), *vols = json_array(), *v, *dns = p->dns;
        const char *k;

        if (json_object_size(p->annotations))
                json_object_set(meta, "annotations", p->annotations);
        if (hostname && *hostname)
                json_object_set_new(spec, "hostname", json_string(hostname));
        if (host_network)
                json_object_set_new(spec, "hostNetwork", json_true());
        if (json_array_size(p->aliases))
                json_object_set(spec, "hostAliases", p->aliases);
        json_object_foreach(p->volumes, k, v)
                json_array_append(vols, v);
        if (json_array_size(vols))
                json_object_set(spec, "volumes", vols);
        json_decref(vols);
        for (const char *const *key = (const char *const[]){ "nameservers", "searches", "options", NULL }; *key; key++)
                if (!json_array_size(json_object_get(dns, *key)))
                        json_object_del(dns, *key);
        if (json_object_size(dns))
                json_object_set(spec, "dnsConfig", dns);
        json_object_set_new(spec, "restartPolicy", json_string(p->restart ? p->restart : "Never"));
        return json_pack("{s:s, s:s, s:o, s:o}", "apiVersion", "v1", "kind", "Pod", "metadata", meta, "spec", spec);
}

static int by_created(const void *a, const void *b)
{
        json_int_t x = json_get_int(*(json_t *const *)a, "Created", 0),
                   y = json_get_int(*(json_t *const *)b, "Created", 0);

        return x < y ? -1 : x > y;
}

/* The pod's members but the infra container, oldest first (their configs). */
static int members(struct cpod_runtime *rt, const json_t *insp, json_t **ret, cpod_error_t *err)
{
        const char *infra = json_get_str(insp, "InfraContainerID");
        _cleanup_json_ json_t *list = json_array();
        _cleanup_free_ json_t **v = NULL;
        const json_t *c;
        size_t i, n;
        int r;

        json_array_foreach(json_object_get(insp, "Containers"), i, c) {
                json_t *cfg;
                if (infra && strcmp(json_get_str(c, "Id"), infra) == 0)
                        continue;
                if ((r = cpod_ctr_config(rt, json_get_str(c, "Id"), &cfg, err)) < 0)
                        return r;
                json_array_append_new(list, cfg);
        }
        n = json_array_size(list);
        v = xnew0(json_t *, n + 1);
        for (i = 0; i < n; i++)
                v[i] = json_incref(json_array_get(list, i));
        qsort(v, n, sizeof(*v), by_created);
        *ret = json_array();
        for (i = 0; i < n; i++)
                json_array_append_new(*ret, v[i]);
        return 0;
}

int kube_gen_pod(struct cpod_runtime *rt, const char *name, json_t **ret, json_t **ret_ports, cpod_error_t *err)
{
        _cleanup_json_ json_t *insp = NULL, *infra = NULL, *list = NULL, *ports = NULL;
        struct pod_parts p;
        const char *infra_id;
        const json_t *c;
        size_t i;
        int r;

        if ((r = cpod_pod_inspect(rt, name, &insp, err)) < 0 || (r = members(rt, insp, &list, err)) < 0)
                return r;
        infra_id = json_get_str(insp, "InfraContainerID");
        if (!json_array_size(list))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      infra_id && *infra_id ? "pod %s only has an infra container"
                                                            : "pod %s has no containers",
                                      json_get_str(insp, "Id"));
        if (infra_id && *infra_id && (r = cpod_ctr_config(rt, infra_id, &infra, err)) < 0)
                return r;
        parts_init(&p);
        json_array_foreach(list, i, c)
                if ((r = add_container(rt, json_get_str(c, "Id"), &p, err)) < 0) {
                        parts_clear(&p);
                        return r;
                }
        ports = kube_gen_ports(json_object_get(infra, "PortMappings"));
        if (json_array_size(ports))
                json_object_set(json_array_get(p.containers, 0), "ports", ports);
        dns_and_hosts(infra, p.dns, p.aliases);
        *ret = pod_object(json_get_str(insp, "Name"), json_object_get(insp, "Labels"), &p,
                          json_get_str(insp, "Hostname"),
                          strcmp(json_get_str(infra, "NetworkMode") ?: "", "host") == 0);
        json_array_foreach(json_object_get(insp, "SharedNamespaces"), i, c)
                if (strcmp(json_string_value(c) ?: "", "pid") == 0)
                        json_object_set_new(json_object_get(*ret, "spec"), "shareProcessNamespace", json_true());
        *ret_ports = TAKE_PTR(ports);
        parts_clear(&p);
        return 0;
}

int kube_gen_ctrs(struct cpod_runtime *rt, char *const *ids, json_t **ret, cpod_error_t *err)
{
        _cleanup_json_ json_t *labels = json_object();
        _cleanup_free_ char *name = NULL, *hostname = NULL;
        bool host_network = true;
        struct pod_parts p;
        const json_t *c;
        size_t i;
        int r;

        parts_init(&p);
        for (char *const *id = ids; *id; id++) {
                _cleanup_json_ json_t *cfg = NULL;
                if ((r = cpod_ctr_config(rt, *id, &cfg, err)) < 0 || (r = add_container(rt, *id, &p, err)) < 0) {
                        parts_clear(&p);
                        return r;
                }
                if (!name)
                        name = kube_gen_name(json_get_str(cfg, "Name"));
                if (!hostname && json_get_str(cfg, "Hostname") && *json_get_str(cfg, "Hostname"))
                        hostname = xstrdup(json_get_str(cfg, "Hostname"));
                if (strcmp(json_get_str(cfg, "NetworkMode") ?: "", "host") != 0)
                        host_network = false;
                if (json_is_object(json_object_get(cfg, "Labels")))
                        json_object_update(labels, json_object_get(cfg, "Labels"));
                dns_and_hosts(cfg, p.dns, p.aliases);
        }
        json_array_foreach(p.containers, i, c)
                if (strcmp(json_get_str(c, "name"), name) == 0) {
                        char *n = xasprintf("%s-pod", name);
                        free(name);
                        name = n;
                        break;
                }
        *ret = pod_object(name, labels, &p, hostname, host_network);
        parts_clear(&p);
        return 0;
}
