/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The CNI backend (the seeds' plan; podman 3's way).  Each network of
 * cpod's becomes a plugin chain generated from its definition:
 *   bridge (host-local IPAM, the address cpod handed out given through the
 *   "ips" capability, state under <runroot>/networks/cni-ipam), portmap
 *   ("portMappings"), firewall (iptables), tuning ("mac").
 * The plugins run as the CNI spec says: CNI_COMMAND ADD in order, each one
 * given the previous one's result, DEL in reverse order with the cached
 * result (kept in cpod's attachment record, so DEL works after a crash);
 * CHECK is not used (portmap's CHECK fails on IPv4-only hosts).  The
 * bridge plugin leaves its bridge on DEL: cpod removes it when nothing
 * holds the network any more.  Names on DNS-enabled networks: cni-dns.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/config.h>

#include "net/net.h"

#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/exec.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

#define CNI_VERSION "1.0.0"

static char *const default_dirs[] = { "/usr/local/libexec/cni", "/usr/libexec/cni", "/usr/local/lib/cni",
                                      "/usr/lib/cni",           "/opt/cni/bin",     NULL };

static char *const *plugin_dirs(struct cpod_runtime *rt)
{
        return rt->config->cni_plugin_dirs && rt->config->cni_plugin_dirs[0] ? rt->config->cni_plugin_dirs
                                                                             : default_dirs;
}

static char *find_plugin(struct cpod_runtime *rt, const char *type, cpod_error_t *err)
{
        for (char *const *d = plugin_dirs(rt); *d; d++) {
                char *p = path_join(*d, type);
                if (access(p, X_OK) == 0)
                        return p;
                free(p);
        }
        cpod_error_set(err, ENOENT, CPOD_E_NOT_SUPPORTED,
                       "CNI plugin %s not found in cni_plugin_dirs (install containernetworking-plugins)", type);
        return NULL;
}

/* host-local with one range set per subnet of the definition (and default routes unless internal). */
static json_t *ipam(struct cpod_runtime *rt, const json_t *def)
{
        _cleanup_free_ char *data = xasprintf("%s/networks/cni-ipam", rt->runroot);
        json_t *ranges = json_array(), *routes = json_array(), *s;
        bool internal = json_get_bool(def, "internal", false);
        size_t i;

        json_array_foreach(json_object_get(def, "subnets"), i, s) {
                const char *sub = json_get_str(s, "subnet");
                json_t *r = json_pack("{s:s}", "subnet", sub ? sub : "");
                if (json_get_str(s, "gateway"))
                        json_object_set(r, "gateway", json_object_get(s, "gateway"));
                json_array_append_new(ranges, json_pack("[o]", r));
                if (!internal)
                        json_array_append_new(
                                routes, json_pack("{s:s}", "dst", sub && strchr(sub, ':') ? "::/0" : "0.0.0.0/0"));
        }
        return json_pack("{s:s, s:o, s:o, s:s}", "type", "host-local", "ranges", ranges, "routes", routes, "dataDir",
                         data);
}

/* The plugin chain of a network definition: bridge (or macvlan), portmap, firewall, tuning. */
static json_t *chain(struct cpod_runtime *rt, const json_t *def)
{
        bool internal = json_get_bool(def, "internal", false);
        const char *mtu = json_get_str(json_object_get(def, "options"), "mtu");
        json_t *main;

        if (strcmp(json_get_str(def, "driver"), "macvlan") == 0) {
                const char *mode = json_get_str(json_object_get(def, "options"), "mode");
                main = json_pack("{s:s, s:s, s:s, s:{s:b}, s:o}", "type", "macvlan", "master",
                                 json_get_str(def, "network_interface"), "mode", mode ? mode : "bridge", "capabilities",
                                 "ips", 1, "ipam", ipam(rt, def));
        } else {
                main = json_pack("{s:s, s:s, s:b, s:b, s:b, s:{s:b}, s:o}", "type", "bridge", "bridge",
                                 json_get_str(def, "network_interface"), "isGateway", 1, "ipMasq", !internal,
                                 "hairpinMode", 1, "capabilities", "ips", 1, "ipam", ipam(rt, def));
        }
        if (mtu)
                json_object_set_new(main, "mtu", json_integer(atoi(mtu)));
        if (strcmp(json_get_str(def, "driver"), "macvlan") == 0)
                return json_pack("[o, {s:s, s:{s:b}}]", main, "type", "tuning", "capabilities", "mac", 1);
        return json_pack("[o, {s:s, s:{s:b}}, {s:s, s:s}, {s:s, s:{s:b}}]", main, "type", "portmap", "capabilities",
                         "portMappings", 1, "type", "firewall", "backend", "iptables", "type", "tuning", "capabilities",
                         "mac", 1);
}

/* host-local wants each static address with the prefix of its subnet. */
static json_t *static_cidrs(const json_t *opts, const json_t *def)
{
        json_t *out = json_array(), *ip;
        size_t i;

        json_array_foreach(json_object_get(opts, "static_ips"), i, ip) {
                struct ipnet n;
                ip_u128 a;
                int af;
                if (!ip_parse(json_string_value(ip), &af, &a))
                        continue;
                for (size_t k = 0; net_def_ipnet(def, k, &n, NULL, NULL) == 0; k++)
                        if (ipnet_contains(&n, af, a)) {
                                json_array_append_new(
                                        out, json_string_take(xasprintf("%s/%d", json_string_value(ip), n.prefix)));
                                break;
                        }
        }
        return out;
}

/* runtimeConfig: what the capabilities a plugin declares ask of this container. */
static json_t *runtime_config(const json_t *plugin, const json_t *opts, const json_t *def, const json_t *ports)
{
        json_t *caps = json_object_get(plugin, "capabilities"), *rc = json_object(), *p;
        size_t i;

        if (json_is_true(json_object_get(caps, "ips")) && json_array_size(json_object_get(opts, "static_ips")))
                json_object_set_new(rc, "ips", static_cidrs(opts, def));
        if (json_is_true(json_object_get(caps, "mac")) && json_get_str(opts, "static_mac"))
                json_object_set_new(rc, "mac", json_string(json_get_str(opts, "static_mac")));
        if (json_is_true(json_object_get(caps, "portMappings")) && json_array_size(ports)) {
                json_t *pm = json_array();
                json_array_foreach(ports, i, p)
                        for (json_int_t k = 0; k < json_get_int(p, "range", 1); k++)
                                json_array_append_new(pm,
                                                      json_pack("{s:I, s:I, s:s, s:s}", "hostPort",
                                                                json_get_int(p, "host_port", 0) + k, "containerPort",
                                                                json_get_int(p, "container_port", 0) + k, "protocol",
                                                                json_get_str(p, "protocol"), "hostIP",
                                                                json_get_str(p, "host_ip")));
                json_object_set_new(rc, "portMappings", pm);
        }
        return rc;
}

/* One plugin, one command; the result (ADD) in *ret. */
static int run_plugin(struct cpod_runtime *rt, const char *cmd, const char *id, const char *netns, const char *ifname,
                      const char *name, const json_t *plugin, json_t *rc, const json_t *prev, json_t **ret,
                      cpod_error_t *err)
{
        const char *type = json_get_str(plugin, "type");
        _cleanup_free_ char *path = find_plugin(rt, type, err), *in = NULL, *dirs = NULL;
        _cleanup_free_ char *e_cmd = NULL, *e_id = NULL, *e_ns = NULL, *e_if = NULL, *e_path = NULL, *e_sys = NULL;
        _cleanup_json_ json_t *conf = json_deep_copy(plugin);
        struct strbuf out = STRBUF_INIT, errb = STRBUF_INIT;
        int r;

        if (!path)
                return -ENOENT;
        json_object_set_new(conf, "cniVersion", json_string(CNI_VERSION));
        json_object_set_new(conf, "name", json_string(name));
        if (json_object_size(rc))
                json_object_set(conf, "runtimeConfig", rc);
        if (prev)
                json_object_set(conf, "prevResult", (json_t *)prev);
        in = json_dump_compact(conf);
        dirs = strv_join((char **)plugin_dirs(rt), ":");
        e_cmd = xasprintf("CNI_COMMAND=%s", cmd);
        e_id = xasprintf("CNI_CONTAINERID=%s", id);
        e_ns = xasprintf("CNI_NETNS=%s", netns);
        e_if = xasprintf("CNI_IFNAME=%s", ifname);
        e_path = xasprintf("CNI_PATH=%s", dirs);
        e_sys = xasprintf("PATH=%s", getenv("PATH") ? getenv("PATH") : "/usr/sbin:/usr/bin:/sbin:/bin");
        {
                const char *argv[] = { path, NULL };
                const char *env[] = { e_cmd, e_id, e_ns, e_if, e_path, e_sys, NULL };
                r = run_capture_input(argv, env, in, &out, &errb, err);
        }
        if (r > 0) {
                _cleanup_json_ json_t *j = json_parse_buf(out.buf, out.len, "CNI error", NULL);
                const char *msg = json_get_str(j, "msg");
                while (errb.len && errb.buf[errb.len - 1] == '\n')
                        strbuf_setlen(&errb, errb.len - 1);
                r = cpod_error_set(err, EIO, CPOD_E_INTERNAL, "CNI plugin %s %s failed: %s%s%s", type, cmd,
                                   msg        ? msg
                                   : errb.len ? errb.buf
                                              : "no message",
                                   json_get_str(j, "details") ? ": " : "",
                                   json_get_str(j, "details") ? json_get_str(j, "details") : "");
        } else if (r == 0 && ret && !(*ret = json_parse_buf(out.buf, out.len, "CNI result", err))) {
                r = -EIO;
        }
        strbuf_release(&out);
        strbuf_release(&errb);
        return r;
}

/* A CNI result's container interface and address, in netavark's result form (plus the raw result). */
static json_t *to_result(json_t *cni)
{
        json_t *ifs = json_object(), *ip, *ifc;
        size_t i;

        json_array_foreach(json_object_get(cni, "ips"), i, ip) {
                json_t *iface =
                        json_array_get(json_object_get(cni, "interfaces"), (size_t)json_get_int(ip, "interface", -1));
                const char *name = json_get_str(iface, "name");
                if (!name || !json_get_str(iface, "sandbox") || !*json_get_str(iface, "sandbox"))
                        continue;
                if (!(ifc = json_object_get(ifs, name))) {
                        ifc = json_pack("{s:s, s:[]}", "mac_address",
                                        json_get_str(iface, "mac") ? json_get_str(iface, "mac") : "", "subnets");
                        json_object_set_new(ifs, name, ifc);
                }
                json_array_append_new(json_object_get(ifc, "subnets"),
                                      json_pack("{s:s, s:s}", "ipnet", json_get_str(ip, "address"), "gateway",
                                                json_get_str(ip, "gateway") ? json_get_str(ip, "gateway") : ""));
        }
        return json_pack("{s:o, s:o}", "interfaces", ifs, "cni_result", cni);
}

/* A DNS-enabled network: the container's name and aliases in aardvark-dns, the gateway as its resolver. */
static int add_names(struct cpod_runtime *rt, const json_t *input, const char *name, const json_t *def, json_t *res,
                     cpod_error_t *err)
{
        const json_t *opts = json_object_get(json_object_get(input, "networks"), name);
        json_t *a, *sub = NULL;
        _cleanup_free_ char *cn = net_backend_name(def), *ip = net_result_addr(res, NULL, &sub, NULL),
                            *ip6 = net_result_addr_af(res, AF_INET6, NULL, NULL, NULL);
        const char *gw = json_get_str(sub, "gateway");
        struct strbuf names = STRBUF_INIT;
        size_t i;
        int r;

        if (!ip || !gw)
                return 0;
        strbuf_addstr(&names, json_get_str(input, "container_name"));
        json_array_foreach(json_object_get(opts, "aliases"), i, a)
                strbuf_addf(&names, ",%s", json_string_value(a));
        r = cni_dns_add(rt, cn, gw, json_get_str(input, "container_id"), ip, ip6 ? ip6 : "", names.buf, err);
        strbuf_release(&names);
        if (r < 0)
                return r;
        json_object_set_new(res, "dns_server_ips", json_pack("[s]", gw));
        json_object_set_new(res, "dns_search_domains", json_pack("[s]", "dns.podman"));
        return 0;
}

static int add_network(struct cpod_runtime *rt, const char *netns, const json_t *input, const char *name, json_t **ret,
                       cpod_error_t *err)
{
        const json_t *def = json_object_get(json_object_get(input, "network_info"), name);
        const json_t *opts = json_object_get(json_object_get(input, "networks"), name);
        _cleanup_json_ json_t *plugins = chain(rt, def), *prev = NULL;
        _cleanup_free_ char *cn = net_backend_name(def);
        const char *id = json_get_str(input, "container_id"), *ifname = json_get_str(opts, "interface_name");
        json_t *pl;
        size_t i;
        int r;

        json_array_foreach(plugins, i, pl) {
                _cleanup_json_ json_t *rc = runtime_config(pl, opts, def, json_object_get(input, "port_mappings"));
                json_t *res = NULL;
                if ((r = run_plugin(rt, "ADD", id, netns, ifname, cn, pl, rc, prev, &res, err)) < 0)
                        return r;
                json_decref(prev);
                prev = res;
        }
        *ret = to_result(TAKE_PTR(prev));
        if (json_get_bool(def, "dns_enabled", false) && (r = add_names(rt, input, name, def, *ret, err)) < 0) {
                json_decref(*ret);
                *ret = NULL;
                return r;
        }
        return 0;
}

static int cni_setup(struct cpod_runtime *rt, const char *netns, const json_t *input, json_t **ret, cpod_error_t *err)
{
        json_t *out = json_object(), *res = NULL;
        const char *name;
        json_t *def;
        int r;

        json_object_foreach(json_object_get(input, "network_info"), name, def) {
                if ((r = add_network(rt, netns, input, name, &res, err)) < 0) {
                        json_decref(out);
                        return r;
                }
                json_object_set_new(out, name, res);
        }
        *ret = out;
        return 0;
}

/* DEL, plugins in reverse, each given the cached result; every plugin runs even when one fails. */
static int cni_teardown(struct cpod_runtime *rt, const char *netns, const json_t *input, const json_t *result,
                        cpod_error_t *err)
{
        const char *name;
        json_t *def;
        int r = 0;

        json_object_foreach(json_object_get(input, "network_info"), name, def) {
                const json_t *opts = json_object_get(json_object_get(input, "networks"), name);
                const json_t *prev = json_object_get(json_object_get(result, name), "cni_result");
                _cleanup_json_ json_t *plugins = chain(rt, def);
                _cleanup_free_ char *cn = net_backend_name(def);
                if (json_get_bool(def, "dns_enabled", false))
                        cni_dns_remove(rt, cn, json_get_str(input, "container_id"));
                for (size_t i = json_array_size(plugins); i-- > 0;) {
                        json_t *pl = json_array_get(plugins, i);
                        _cleanup_json_ json_t *rc =
                                runtime_config(pl, opts, def, json_object_get(input, "port_mappings"));
                        cpod_error_t e = CPOD_ERROR_INIT;
                        if (run_plugin(rt, "DEL", json_get_str(input, "container_id"), netns,
                                       json_get_str(opts, "interface_name"), cn, pl, rc, prev, NULL, &e) < 0 &&
                            r == 0)
                                r = err ? (cpod_error_move(err, &e), -EIO) : -EIO;
                        cpod_error_clear(&e);
                }
        }
        return r;
}

/* The bridge plugin keeps its bridge after the last DEL: cpod's bridges go once nothing holds them. */
static void cni_network_gone(struct cpod_runtime *rt, const json_t *def)
{
        (void)rt;
        if (strcmp(json_get_str(def, "driver"), "bridge") == 0) /* a macvlan network's is its parent */
                link_delete(json_get_str(def, "network_interface"));
}

const struct net_backend net_backend_cni = {
        .name = "cni",
        .anchors = false,
        .setup = cni_setup,
        .teardown = cni_teardown,
        .network_gone = cni_network_gone,
};
