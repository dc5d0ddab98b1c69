/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A container's networks and published ports (lib/net does the work):
 * checked and resolved at create (network names to definitions, the
 * default network for "bridge", -P's ports, random host ports), wired at
 * each start before the bundle is written, unwired when it stops or is
 * removed.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ctr/ctr-net.h"

#include "ctr/ctr.h"
#include "net/net.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

bool ctr_net_bridge(const struct ctr_config *cfg)
{
        return cfg->network_mode && strcmp(cfg->network_mode, "bridge") == 0;
}

static bool mac_ok(const char *m)
{
        unsigned char b[6];
        return m && strlen(m) == 17 &&
               sscanf(m, "%2hhx:%2hhx:%2hhx:%2hhx:%2hhx:%2hhx", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) == 6;
}

static bool alias_ok(const char *a)
{
        if (!a || !*a || strlen(a) > 253)
                return false;
        for (const char *p = a; *p; p++)
                if (!isalnum((unsigned char)*p) && !strchr("_.-", *p))
                        return false;
        return true;
}

/* One network's options: static_ips (an IPv4 and an IPv6 address), static_mac, aliases, interface_name. */
static int check_opts(const char *net, json_t *o, cpod_error_t *err)
{
        const char *k, *s;
        json_t *v, *e;
        size_t i;
        ip_u128 a;
        int af, seen = 0;

        json_object_foreach(o, k, v) {
                if (strcmp(k, "static_ips") == 0 && json_is_array(v) && json_array_size(v) <= 2) {
                        json_array_foreach(v, i, e) {
                                if (!ip_parse(json_string_value(e), &af, &a))
                                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                                              "network %s: invalid IP address \"%s\"", net,
                                                              json_string_value(e) ? json_string_value(e) : "");
                                if (seen & (1 << (af == AF_INET6)))
                                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                                              "network %s: more than one static IPv%c address", net,
                                                              af == AF_INET6 ? '6' : '4');
                                seen |= 1 << (af == AF_INET6);
                        }
                } else if (strcmp(k, "static_mac") == 0 && json_is_string(v)) {
                        if (!mac_ok(s = json_string_value(v)))
                                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid MAC address \"%s\"", s);
                } else if (strcmp(k, "aliases") == 0 && json_is_array(v)) {
                        json_array_foreach(v, i, e)
                                if (!alias_ok(json_string_value(e)))
                                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                                              "network %s: invalid alias \"%s\"", net,
                                                              json_string_value(e) ? json_string_value(e) : "");
                } else if (strcmp(k, "interface_name") == 0 && json_is_string(v)) {
                        s = json_string_value(v);
                        if (*s && (strlen(s) > 15 || strpbrk(s, "/: \t\n")))
                                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid interface name \"%s\"", s);
                } else {
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "network %s: unknown or malformed option \"%s\" (cpod knows static_ips, "
                                              "static_mac, aliases, interface_name)",
                                              net, k);
                }
        }
        return 0;
}

/* Give every network without one an interface name, the first free ethN: names stay across restarts. */
static void name_interfaces(json_t *nets)
{
        const char *name, *k2;
        json_t *o, *o2;

        json_object_foreach(nets, name, o) {
                if (json_get_str(o, "interface_name") && *json_get_str(o, "interface_name"))
                        continue;
                for (unsigned n = 0;; n++) {
                        char ifn[16];
                        bool used = false;
                        snprintf(ifn, sizeof(ifn), "eth%u", n);
                        json_object_foreach(nets, k2, o2)
                                used = used || (json_get_str(o2, "interface_name") &&
                                                strcmp(json_get_str(o2, "interface_name"), ifn) == 0);
                        if (!used) {
                                json_object_set_new(o, "interface_name", json_string(ifn));
                                break;
                        }
                }
        }
}

/* Names become the definitions' names (the default network for "bridge"; created on first use). */
static int resolve_networks(struct cpod_runtime *rt, struct ctr_config *cfg, cpod_error_t *err)
{
        json_t *out = json_object(), *o;
        const char *name;
        int r = 0;

        if (!json_object_size(cfg->networks)) {
                json_decref(cfg->networks);
                cfg->networks = json_pack("{s:{}}", "bridge");
        }
        json_object_foreach(cfg->networks, name, o) {
                _cleanup_json_ json_t *def = NULL;
                if ((r = net_def_get(rt, name, &def, err)) < 0 || (r = check_opts(name, o, err)) < 0)
                        break;
                if (json_object_get(out, json_get_str(def, "name"))) {
                        r = cpod_error_set(err, EINVAL, CPOD_E_INVALID, "network %s is given twice", name);
                        break;
                }
                json_object_set(out, json_get_str(def, "name"), o);
        }
        if (r < 0) {
                json_decref(out);
                return r;
        }
        name_interfaces(out);
        json_decref(cfg->networks);
        cfg->networks = out;
        return 0;
}

/* A free host port for proto, as the kernel picks one for a socket bound to port 0. */
static int random_port(const char *proto, const char *host_ip, cpod_error_t *err)
{
        struct sockaddr_in sa = { .sin_family = AF_INET };
        socklen_t len = sizeof(sa);
        int type = strcmp(proto, "udp") == 0 ? SOCK_DGRAM : SOCK_STREAM;
        int s = socket(AF_INET, type | SOCK_CLOEXEC, 0), port = -1;

        if (host_ip && *host_ip)
                inet_pton(AF_INET, host_ip, &sa.sin_addr);
        if (s >= 0 && bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
            getsockname(s, (struct sockaddr *)&sa, &len) == 0)
                port = ntohs(sa.sin_port);
        if (s >= 0)
                close(s);
        return port > 0 ? port : cpod_error_sys(err, errno, "pick a free host port");
}

static int check_port(json_t *p, size_t idx, cpod_error_t *err)
{
        json_int_t cp = json_get_int(p, "container_port", 0), hp = json_get_int(p, "host_port", 0),
                   range = json_get_int(p, "range", 1);
        const char *proto = json_get_str(p, "protocol"), *hip = json_get_str(p, "host_ip");
        uint32_t a;

        if (!proto || !*proto)
                json_object_set_new(p, "protocol", json_string(proto = "tcp"));
        if (strcmp(proto, "tcp") && strcmp(proto, "udp") && strcmp(proto, "sctp"))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "unrecognized protocol \"%s\" in port mapping",
                                      proto);
        if (cp < 1 || cp > 65535 || hp < 0 || hp > 65535 || range < 1 || cp + range - 1 > 65535 ||
            hp + range - 1 > 65535)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "port mapping %zu: ports must be 1-65535", idx + 1);
        if (hip && *hip && !ip4_parse(hip, &a))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid IP address \"%s\" in port mapping", hip);
        json_object_set_new(p, "host_ip", json_string(hip ? hip : ""));
        json_object_set_new(p, "range", json_integer(range));
        json_object_set_new(p, "container_port", json_integer(cp));
        return 0;
}

static bool mapped(json_t *ports, json_int_t port, const char *proto)
{
        size_t i;
        json_t *p;

        json_array_foreach(ports, i, p) {
                json_int_t c = json_get_int(p, "container_port", 0), n = json_get_int(p, "range", 1);
                if (port >= c && port < c + n && strcmp(json_get_str(p, "protocol"), proto) == 0)
                        return true;
        }
        return false;
}

/* -P: every port the image exposes, and --expose's, on a random host port unless -p maps it already. */
static int publish_all(struct ctr_config *cfg, const json_t *imgcfg, cpod_error_t *err)
{
        json_t *exposed = json_object_get(imgcfg, "ExposedPorts"), *v;
        _cleanup_json_ json_t *all = json_object();
        const char *k;

        json_object_foreach(exposed, k, v)
                json_object_set_new(all, k, json_true());
        for (char **e = cfg->expose; e && *e; e++)
                json_object_set_new(all, *e, json_true());
        json_object_foreach(all, k, v) {
                char proto[8] = "tcp";
                char *end;
                long port = strtol(k, &end, 10);
                if (*end == '/')
                        snprintf(proto, sizeof(proto), "%s", end + 1);
                if (port < 1 || port > 65535 || (*end && *end != '/'))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid exposed port \"%s\"", k);
                if (!mapped(cfg->port_mappings, port, proto))
                        json_array_append_new(cfg->port_mappings,
                                              json_pack("{s:s, s:I, s:I, s:I, s:s}", "host_ip", "", "container_port",
                                                        (json_int_t)port, "host_port", (json_int_t)0, "range",
                                                        (json_int_t)1, "protocol", proto));
        }
        return 0;
}

static int resolve_ports(struct ctr_config *cfg, const json_t *imgcfg, cpod_error_t *err)
{
        size_t i, j;
        json_t *p, *q;
        int r;

        if (!cfg->port_mappings)
                cfg->port_mappings = json_array();
        json_array_foreach(cfg->port_mappings, i, p)
                if ((r = check_port(p, i, err)) < 0)
                        return r;
        if (cfg->publish_all && (r = publish_all(cfg, imgcfg, err)) < 0)
                return r;
        json_array_foreach(cfg->port_mappings, i, p) {
                if (json_get_int(p, "host_port", 0) == 0) {
                        int port = random_port(json_get_str(p, "protocol"), json_get_str(p, "host_ip"), err);
                        if (port < 0)
                                return port;
                        json_object_set_new(p, "host_port", json_integer(port));
                }
                json_array_foreach(cfg->port_mappings, j, q)
                        if (j < i && json_get_int(q, "host_port", 0) == json_get_int(p, "host_port", 0) &&
                            strcmp(json_get_str(q, "protocol"), json_get_str(p, "protocol")) == 0 &&
                            strcmp(json_get_str(q, "host_ip"), json_get_str(p, "host_ip")) == 0)
                                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                                      "conflicting port mappings: host port %lld/%s is given twice",
                                                      (long long)json_get_int(p, "host_port", 0),
                                                      json_get_str(p, "protocol"));
        }
        return 0;
}

int ctr_net_check(struct cpod_runtime *rt, struct ctr_config *cfg, const json_t *imgcfg, cpod_error_t *err)
{
        bool ports = json_array_size(cfg->port_mappings) || cfg->publish_all;
        int r;

        if (!ctr_net_bridge(cfg)) {
                if (json_object_size(cfg->networks))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "networks can only be joined in bridge mode, not with --network %s",
                                              cfg->network_mode ? cfg->network_mode : "private");
                if (ports)
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "publishing ports needs a bridge network: not possible with --network %s",
                                              cfg->network_mode ? cfg->network_mode : "private");
                return 0;
        }
        if ((r = resolve_networks(rt, cfg, err)) < 0 || (r = resolve_ports(cfg, imgcfg, err)) < 0)
                return r;
        if (!json_array_size(cfg->port_mappings)) {
                json_decref(cfg->port_mappings);
                cfg->port_mappings = NULL;
        }
        return 0;
}

int ctr_net_setup(struct cpod_runtime *rt, const struct ctr *c, char **ret_netns, cpod_error_t *err)
{
        struct net_request req = { c->id, c->name, c->cfg.networks, c->cfg.port_mappings };

        *ret_netns = NULL;
        if (!ctr_net_bridge(&c->cfg))
                return 0;
        if (net_backend_check(rt, err) < 0)
                return -ENOTSUP;
        return net_setup(rt, &req, ret_netns, err);
}

void ctr_net_teardown(struct cpod_runtime *rt, const struct ctr *c)
{
        if (ctr_net_bridge(&c->cfg))
                net_teardown(rt, c->id);
}

void ctr_net_info_clear(struct ctr_net_info *i)
{
        free(i->ip);
        free(i->ip6);
        free(i->gateway);
        strv_free(i->dns);
        strv_free(i->search);
        memset(i, 0, sizeof(*i));
}

/* From netavark's result: the first address and gateway, and the DNS servers and domains of its networks. */
void ctr_net_info(struct cpod_runtime *rt, const struct ctr *c, struct ctr_net_info *ret)
{
        const char *mode = c->cfg.network_mode;
        /* A container in another's network namespace (a pod member) has that one's addresses. */
        _cleanup_json_ json_t *st = ctr_net_bridge(&c->cfg)                        ? net_status(rt, c->id)
                                    : mode && strncmp(mode, "container:", 10) == 0 ? net_status(rt, mode + 10)
                                                                                   : NULL;
        json_t *res = json_object_get(st, "result"), *n, *v;
        const char *name;
        size_t i;

        memset(ret, 0, sizeof(*ret));
        ret->dns = xnew0(char *, 1);
        ret->search = xnew0(char *, 1);
        json_object_foreach(res, name, n) {
                json_t *sub;
                char *ip = ret->ip ? NULL : net_result_addr(n, NULL, &sub, NULL);
                if (ip) {
                        ret->ip = ip;
                        ret->gateway = json_get_str(sub, "gateway") ? xstrdup(json_get_str(sub, "gateway")) : NULL;
                }
                if (!ret->ip6)
                        ret->ip6 = net_result_addr_af(n, AF_INET6, NULL, NULL, NULL);
                json_array_foreach(json_object_get(n, "dns_server_ips"), i, v)
                        if (json_is_string(v) && !strv_contains(ret->dns, json_string_value(v)))
                                strv_add(&ret->dns, json_string_value(v));
                json_array_foreach(json_object_get(n, "dns_search_domains"), i, v)
                        if (json_is_string(v) && !strv_contains(ret->search, json_string_value(v)))
                                strv_add(&ret->search, json_string_value(v));
        }
}

/* Docker's Ports: "PORT/PROTO" -> [{HostIp, HostPort}], one key per port of each range. */
static json_t *ports_obj(const json_t *mappings)
{
        json_t *o = json_object(), *p;
        size_t i;

        json_array_foreach(mappings, i, p) {
                json_int_t cp = json_get_int(p, "container_port", 0), hp = json_get_int(p, "host_port", 0);
                for (json_int_t k = 0; k < json_get_int(p, "range", 1); k++) {
                        char key[32], port[16];
                        json_t *list;
                        snprintf(key, sizeof(key), "%lld/%s", (long long)(cp + k), json_get_str(p, "protocol"));
                        snprintf(port, sizeof(port), "%lld", (long long)(hp + k));
                        if (!(list = json_object_get(o, key)))
                                json_object_set_new(o, key, list = json_array());
                        json_array_append_new(
                                list, json_pack("{s:s, s:s}", "HostIp", json_get_str(p, "host_ip"), "HostPort", port));
                }
        }
        return o;
}

/* One network's entry: the addresses netavark gave (empty while not running). */
static json_t *endpoint(const char *name, const json_t *opts, const json_t *res)
{
        json_t *ifc, *sub, *sub6;
        int prefix, prefix6;
        _cleanup_free_ char *ip = net_result_addr(res, &ifc, &sub, &prefix),
                            *ip6 = net_result_addr_af(res, AF_INET6, NULL, &sub6, &prefix6);
        return json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:i, s:s, s:s, s:n, s:n, s:n, s:O}", "EndpointID", "",
                         "Gateway", json_get_str(sub, "gateway") ? json_get_str(sub, "gateway") : "", "IPAddress",
                         ip ? ip : "", "IPPrefixLen", prefix, "IPv6Gateway",
                         json_get_str(sub6, "gateway") ? json_get_str(sub6, "gateway") : "", "GlobalIPv6Address",
                         ip6 ? ip6 : "", "GlobalIPv6PrefixLen", prefix6, "MacAddress",
                         json_get_str(ifc, "mac_address") ? json_get_str(ifc, "mac_address") : "", "NetworkID", name,
                         "DriverOpts", "IPAMConfig", "Links", "Aliases",
                         json_object_get(opts, "aliases") ? json_object_get(opts, "aliases") : json_null());
}

json_t *ctr_net_settings(struct cpod_runtime *rt, const struct ctr *c)
{
        bool bridge = ctr_net_bridge(&c->cfg);
        _cleanup_json_ json_t *st = bridge ? net_status(rt, c->id) : NULL;
        json_t *s, *nets = json_object(), *opts, *res = json_object_get(st, "result");
        static const char *const top[] = { "EndpointID",  "Gateway",           "IPAddress",           "IPPrefixLen",
                                           "IPv6Gateway", "GlobalIPv6Address", "GlobalIPv6PrefixLen", "MacAddress" };
        const char *name;

        s = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:i, s:s, s:s, s:s, s:b, s:s, s:i, s:o, s:s}", "EndpointID", "",
                      "Gateway", "", "IPAddress", "", "IPPrefixLen", 0, "IPv6Gateway", "", "GlobalIPv6Address", "",
                      "GlobalIPv6PrefixLen", 0, "MacAddress", "", "Bridge", "", "SandboxID", "", "HairpinMode", 0,
                      "LinkLocalIPv6Address", "", "LinkLocalIPv6PrefixLen", 0, "Ports", ports_obj(c->cfg.port_mappings),
                      "SandboxKey", json_get_str(st, "netns") ? json_get_str(st, "netns") : "");
        /* What netavark was given while wired (the short ID among the aliases), else the config. */
        json_object_foreach(c->cfg.networks, name, opts) {
                json_t *given = json_object_get(json_path(st, "input.networks"), name);
                json_object_set_new(nets, name, endpoint(name, given ? given : opts, json_object_get(res, name)));
        }
        /* As podman: the top-level fields describe the default network when it is the only one. */
        if (json_object_size(nets) == 1 && json_object_get(nets, net_default_name(rt)))
                for (size_t i = 0; i < sizeof(top) / sizeof(top[0]); i++)
                        json_object_set(s, top[i],
                                        json_object_get(json_object_get(nets, net_default_name(rt)), top[i]));
        if (bridge)
                json_object_set_new(s, "Networks", nets);
        else
                json_decref(nets);
        return s;
}

json_t *ctr_net_port_bindings(const struct ctr *c)
{
        return ports_obj(c->cfg.port_mappings);
}

static bool attached(const struct ctr *c)
{
        return c->state == CPOD_CTR_RUNNING || c->state == CPOD_CTR_PAUSED || c->state == CPOD_CTR_CREATED ||
               c->state == CPOD_CTR_STOPPING;
}

int ctr_net_connect(struct cpod_runtime *rt, struct ctr *c, const char *network, const json_t *opts, cpod_error_t *err)
{
        _cleanup_json_ json_t *def = NULL, *o = json_deep_copy(opts ? opts : json_object()), *one = NULL;
        const char *name;
        int r;

        if (!ctr_net_bridge(&c->cfg))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "container %s uses --network %s: only containers on bridge networks can join "
                                      "networks",
                                      c->name, c->cfg.network_mode ? c->cfg.network_mode : "private");
        if ((r = net_def_get(rt, network, &def, err)) < 0 || (r = check_opts(network, o, err)) < 0)
                return r;
        name = json_get_str(def, "name");
        if (json_object_get(c->cfg.networks, name))
                return cpod_error_set(err, EEXIST, CPOD_E_EXISTS, "container %s is already connected to network %s",
                                      c->name, name);
        if (!c->cfg.networks)
                c->cfg.networks = json_object();
        json_object_set(c->cfg.networks, name, o);
        name_interfaces(c->cfg.networks);
        json_object_del(c->cfg.networks, name);
        one = json_pack("{s:O}", name, o);
        if (attached(c)) {
                struct net_request req = { c->id, c->name, one, c->cfg.port_mappings };
                if ((r = net_connect(rt, &req, err)) < 0)
                        return r;
        }
        json_object_set(c->cfg.networks, name, o);
        return ctr_db_save_config(rt, c, err);
}

int ctr_net_disconnect(struct cpod_runtime *rt, struct ctr *c, const char *network, cpod_error_t *err)
{
        _cleanup_json_ json_t *def = NULL;
        const char *name;
        int r;

        if ((r = net_def_get(rt, network, &def, err)) < 0)
                return r;
        name = json_get_str(def, "name");
        if (!json_object_get(c->cfg.networks, name))
                return cpod_error_set(err, ENOENT, CPOD_E_INVALID, "container %s is not connected to network %s",
                                      c->name, name);
        if (attached(c) && (r = net_disconnect(rt, c->id, name, err)) < 0)
                return r;
        json_object_del(c->cfg.networks, name);
        return ctr_db_save_config(rt, c, err);
}
