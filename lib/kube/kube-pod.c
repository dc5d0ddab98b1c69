/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A PodSpec as a cpod pod: its name, labels, hostname, network, published
 * ports (containerPort with a hostPort, as podman), host aliases and DNS,
 * --no-hosts, --ip and --mac-address;
 * its volumes resolved once for every container that mounts them.
 */
#include <errno.h>
#include <string.h>

#include "kube/kube-internal.h"

#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

static int add_ports(const json_t *c, json_t *out, cpod_error_t *err)
{
        const json_t *p;
        size_t i;

        json_array_foreach(json_object_get(c, "ports"), i, p) {
                json_int_t cp = json_get_int(p, "containerPort", 0), hp = json_get_int(p, "hostPort", 0);
                const char *proto = json_get_str(p, "protocol");
                _cleanup_free_ char *lproto = xstrdup(proto ? proto : "tcp");

                if (cp < 0 || cp > 65535 || hp < 0 || hp > 65535 || (!cp && !hp))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "kube: container %s: invalid port",
                                              json_get_str(c, "name"));
                for (char *s = lproto; *s; s++)
                        *s = (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
                if (!hp) /* only hostPort publishes: the pod's containers share its network */
                        continue;
                json_array_append_new(out, json_pack("{s:s, s:I, s:I, s:I, s:s}", "host_ip",
                                                     json_get_str(p, "hostIP") ? json_get_str(p, "hostIP") : "",
                                                     "container_port", cp ? cp : hp, "host_port", hp, "range",
                                                     (json_int_t)1, "protocol", lproto));
        }
        return 0;
}

/* --ip and --mac-address: the n-th pod's, on its one bridge network (as podman). */
static int set_static(struct kube_ctx *ctx, json_t *p, cpod_error_t *err)
{
        const char *ip = NULL, *mac = NULL, *k;
        size_t n = ctx->n_pods++;
        json_t *nets = json_object_get(p, "Networks"), *v;

        for (size_t i = 0; ctx->opts->static_ips && ctx->opts->static_ips[i]; i++)
                if (i == n)
                        ip = ctx->opts->static_ips[i];
        for (size_t i = 0; ctx->opts->static_macs && ctx->opts->static_macs[i]; i++)
                if (i == n)
                        mac = ctx->opts->static_macs[i];
        /* as podman: the pods past the last address get a random one */
        if (!ip && ctx->opts->static_ips && ctx->opts->static_ips[0])
                rt_warn(ctx->rt, "No more static ips left using a random one");
        if (!mac && ctx->opts->static_macs && ctx->opts->static_macs[0])
                rt_warn(ctx->rt, "No more static macs left using a random one");
        if (!ip && !mac)
                return 0;
        if (!nets)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "static %s can only be set when the network mode is bridge: invalid argument",
                                      ip ? "ip addresses" : "mac address");
        json_object_foreach(nets, k, v) {
                if (ip)
                        json_object_set_new(v, "static_ips", json_pack("[s]", ip));
                if (mac)
                        json_object_set_new(v, "static_mac", json_string(mac));
        }
        return 0;
}

static void set_network(struct kube_ctx *ctx, const json_t *spec, json_t *p)
{
        const char *net = ctx->opts->network;

        if (json_is_true(json_object_get(spec, "hostNetwork")))
                net = "host";
        if (net && (strcmp(net, "none") == 0 || strcmp(net, "host") == 0)) {
                json_object_set_new(p, "NetworkMode", json_string(net));
                return;
        }
        json_object_set_new(p, "NetworkMode", json_string("bridge"));
        json_object_set_new(p, "Networks", json_pack("{s:{}}", net && strcmp(net, "bridge") != 0 ? net : "bridge"));
}

static void set_dns(const json_t *spec, json_t *p)
{
        const json_t *dns = json_object_get(spec, "dnsConfig"), *a, *v;
        json_t *hosts = json_array(), *opts = json_array();
        size_t i, j;

        json_array_foreach(json_object_get(spec, "hostAliases"), i, a)
                json_array_foreach(json_object_get(a, "hostnames"), j, v)
                        if (json_is_string(v) && json_get_str(a, "ip"))
                                json_array_append_new(
                                        hosts, json_sprintf("%s:%s", json_string_value(v), json_get_str(a, "ip")));
        json_array_foreach(json_object_get(dns, "options"), i, a)
                if (json_get_str(a, "name"))
                        json_array_append_new(
                                opts, json_get_str(a, "value")
                                              ? json_sprintf("%s:%s", json_get_str(a, "name"), json_get_str(a, "value"))
                                              : json_string(json_get_str(a, "name")));
        json_object_set_new(p, "AddHost", hosts);
        json_object_set_new(p, "DnsOption", opts);
        if (json_object_get(dns, "nameservers"))
                json_object_set(p, "Dns", json_object_get(dns, "nameservers"));
        if (json_object_get(dns, "searches"))
                json_object_set(p, "DnsSearch", json_object_get(dns, "searches"));
}

static int pod_params(struct kube_ctx *ctx, const char *name, const json_t *meta, const json_t *spec, json_t **ret,
                      cpod_error_t *err)
{
        const char *host = json_get_str(spec, "hostname");
        _cleanup_json_ json_t *p = json_pack("{s:s, s:s, s:[sss]}", "Name", name, "Hostname",
                                             host && *host ? host : name, "Share", "ipc", "net", "uts");
        int r;

        if (ctx->opts->no_hosts && json_array_size(json_object_get(spec, "hostAliases")))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "HostAliases in yaml file will not work with --no-hosts");
        json_object_set_new(p, "Labels",
                            json_is_object(json_object_get(meta, "labels"))
                                    ? json_incref(json_object_get(meta, "labels"))
                                    : json_object());
        set_network(ctx, spec, p);
        set_dns(spec, p);
        if (ctx->opts->no_hosts)
                json_object_set_new(p, "NoHosts", json_true());
        if ((r = set_static(ctx, p, err)) < 0)
                return r;
        *ret = TAKE_PTR(p);
        return 0;
}

static const char *const spec_known[] = {
        "containers",
        "initContainers",
        "volumes",
        "restartPolicy",
        "hostNetwork",
        "hostname",
        "hostAliases",
        "dnsConfig",
        "securityContext",
        "terminationGracePeriodSeconds",
        "dnsPolicy",
        /* what podman's kube generate writes; cpod, as podman, has no service links or account tokens */
        "enableServiceLinks",
        "automountServiceAccountToken",
        NULL,
};

static int read_containers(struct kube_ctx *ctx, const char *name, const json_t *list, const json_t *info, bool init,
                           json_t *out, json_t *ports, cpod_error_t *err)
{
        const json_t *c;
        size_t i;
        int r;

        json_array_foreach(list, i, c) {
                json_t *params;

                if ((r = kube_ctr_params(ctx, name, c, info, init, &params, err)) < 0)
                        return r;
                json_array_append_new(out, params);
                if (!init && (r = add_ports(c, ports, err)) < 0)
                        return r;
        }
        return 0;
}

int kube_pod_plan(struct kube_ctx *ctx, const char *name, const json_t *meta, const json_t *spec, json_t **ret,
                  cpod_error_t *err)
{
        _cleanup_json_ json_t *plan = json_pack("{s:s, s:[], s:[], s:[], s:[]}", "Name", name, "Init", "Containers",
                                                "HostPaths", "DataVolumes");
        _cleanup_json_ json_t *ports = json_array(), *vols = NULL, *info = NULL;
        json_t *p = NULL;
        int r;

        if (!json_is_object(spec) || !json_array_size(json_object_get(spec, "containers")))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "kube: pod %s has no containers", name);
        kube_warn_unknown(ctx, spec, "spec", spec_known);
        if (json_get_str(spec, "dnsPolicy") && strcmp(json_get_str(spec, "dnsPolicy"), "ClusterFirst") != 0 &&
            strcmp(json_get_str(spec, "dnsPolicy"), "Default") != 0)
                rt_warn(ctx->rt, "kube: spec.dnsPolicy %s is not supported, ignoring", json_get_str(spec, "dnsPolicy"));
        if ((r = kube_pod_volumes(ctx, spec, plan, &vols, err)) < 0)
                return r;
        info = json_pack("{s:O, s:O, s:O, s:s}", "Volumes", vols, "Spec", spec, "Meta", meta ? meta : json_null(),
                         "Pod", name);
        if ((r = read_containers(ctx, name, json_object_get(spec, "initContainers"), info, true,
                                 json_object_get(plan, "Init"), ports, err)) < 0 ||
            (r = read_containers(ctx, name, json_object_get(spec, "containers"), info, false,
                                 json_object_get(plan, "Containers"), ports, err)) < 0)
                return r;
        if (json_array_size(json_object_get(plan, "Init")) && ctx->opts && ctx->opts->no_start)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "kube: pod %s: initContainers run only when the pod is started (--start)", name);
        if ((r = pod_params(ctx, name, meta, spec, &p, err)) < 0)
                return r;
        if (json_array_size(ports))
                json_object_set(p, "PortMappings", ports);
        json_object_set_new(plan, "Pod", p);
        *ret = TAKE_PTR(plan);
        return 0;
}
