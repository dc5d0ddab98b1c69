/* SPDX-License-Identifier: Apache-2.0 */
/*
 * podman's network flags of run, create and pod create, as libcpod's
 * NetworkMode, Networks, PortMappings, Expose and PublishAll:
 *   --network MODE|NAME[:ip=IP,ip6=IP6,mac=MAC,alias=NAME,interface_name=NAME][,NAME...]
 *   --ip, --ip6, --mac-address, --network-alias (for the one network)
 *   -p [[IP:][HOSTPORT]:]PORT[/PROTO] (ranges A-B), -P, --expose PORT[/PROTO]
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "cli/net-params.h"

#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* A static address of the family asked for (what: "ip" or "ip6"), appended to opts' static_ips. */
static int add_static_ip(json_t *opts, const char *what, const char *v)
{
        unsigned char b[16];
        bool six = strstr(what, "ip6") != NULL;
        json_t *a = json_object_get(opts, "static_ips");

        if (inet_pton(six ? AF_INET6 : AF_INET, v, b) != 1)
                return cli_errorf("%s: \"%s\" is not an IPv%c address", what, v, six ? '6' : '4');
        if (!a)
                json_object_set_new(opts, "static_ips", a = json_array());
        json_array_append_new(a, json_string(v));
        return 0;
}

static bool parse_range(const char *s, long *lo, long *n)
{
        char *end;
        long a = strtol(s, &end, 10), b = a;

        if (end == s || a < 0 || a > 65535)
                return false;
        if (*end == '-') {
                const char *t = end + 1;
                b = strtol(t, &end, 10);
                if (end == t || b < a || b > 65535)
                        return false;
        }
        *lo = a;
        *n = b - a + 1;
        return *end == '\0';
}

/* One -p value; "tcp,udp" adds a mapping per protocol. */
int cli_parse_publish(const char *spec, json_t *out)
{
        _cleanup_free_ char *s = xstrdup(spec), *ip = NULL;
        char *proto = strchr(s, '/'), *c1, *c2, *cport, *hport = NULL;
        long cp, cn, hp = 0, hn = 0;

        if (proto)
                *proto++ = '\0';
        if (s[0] == '[')
                return cli_errorf("invalid port format \"%s\": IPv6 host addresses are not supported by cpod yet",
                                  spec);
        c1 = strrchr(s, ':');
        cport = c1 ? c1 + 1 : s;
        if (c1) {
                *c1 = '\0';
                c2 = strrchr(s, ':');
                hport = c2 ? c2 + 1 : s;
                if (c2) {
                        *c2 = '\0';
                        ip = xstrdup(s);
                }
        }
        if (!parse_range(cport, &cp, &cn) || cp == 0)
                return cli_errorf("invalid container port \"%s\" in \"%s\"", cport, spec);
        if (hport && *hport && (!parse_range(hport, &hp, &hn) || hp == 0))
                return cli_errorf("invalid host port \"%s\" in \"%s\"", hport, spec);
        if (hport && *hport && hn != cn)
                return cli_errorf("host and container port ranges of \"%s\" differ in length", spec);
        if ((!hport || !*hport) && cn > 1)
                return cli_errorf("\"%s\": a range of container ports needs a range of host ports", spec);
        for (char *p = proto && *proto ? proto : "tcp", *next; p && *p; p = next) {
                next = strchr(p, ',');
                if (next)
                        *next++ = '\0';
                json_array_append_new(out, json_pack("{s:s, s:I, s:I, s:I, s:s}", "host_ip", ip ? ip : "",
                                                     "container_port", (json_int_t)cp, "host_port", (json_int_t)hp,
                                                     "range", (json_int_t)cn, "protocol", p));
        }
        return 0;
}

static bool is_option(const char *tok)
{
        const char *eq = strchr(tok, '=');
        return eq && !memchr(tok, ':', (size_t)(eq - tok));
}

static int add_option(json_t *opts, const char *net, const char *kv)
{
        const char *eq = strchr(kv, '=');
        size_t kl = eq ? (size_t)(eq - kv) : strlen(kv);
        const char *v = eq ? eq + 1 : "";
        json_t *a;

        if (!eq || !*v)
                return cli_errorf("invalid option \"%s\" for network %s", kv, net);
        if (kl == 2 && strncmp(kv, "ip", 2) == 0) {
                return add_static_ip(opts, "ip", v);
        } else if (kl == 3 && strncmp(kv, "ip6", 3) == 0) {
                return add_static_ip(opts, "ip6", v);
        } else if (kl == 3 && strncmp(kv, "mac", 3) == 0) {
                json_object_set_new(opts, "static_mac", json_string(v));
        } else if (kl == 5 && strncmp(kv, "alias", 5) == 0) {
                if (!(a = json_object_get(opts, "aliases")))
                        json_object_set_new(opts, "aliases", a = json_array());
                json_array_append_new(a, json_string(v));
        } else if (kl == 14 && strncmp(kv, "interface_name", 14) == 0) {
                json_object_set_new(opts, "interface_name", json_string(v));
        } else {
                return cli_errorf("unknown network option \"%.*s\" (cpod knows ip, mac, alias, interface_name)",
                                  (int)kl, kv);
        }
        return 0;
}

static bool special_mode(const char *n)
{
        return strcmp(n, "none") == 0 || strcmp(n, "host") == 0 || strcmp(n, "private") == 0 ||
               strncmp(n, "container:", 10) == 0 || strncmp(n, "ns:", 3) == 0;
}

/* Every --network value into mode (a special one) or nets (name -> options). */
static int parse_networks(const struct strv *values, const char **mode, json_t *nets)
{
        json_t *cur = NULL;
        const char *curname = NULL;

        for (size_t i = 0; i < values->n; i++) {
                _cleanup_strv_ char **toks = strv_split(values->v[i], ",");
                for (char **t = toks; t && *t; t++) {
                        char *colon;
                        int r;
                        if (cur && is_option(*t)) {
                                if ((r = add_option(cur, curname, *t)))
                                        return r;
                                continue;
                        }
                        if (special_mode(*t) || strncmp(*t, "slirp4netns", 11) == 0 || strcmp(*t, "pasta") == 0) {
                                if (strncmp(*t, "slirp4netns", 11) == 0 || strcmp(*t, "pasta") == 0)
                                        return cli_errorf("network mode %s is not supported by cpod yet", *t);
                                if (*mode || json_object_size(nets) || toks[1] || values->n > 1)
                                        return cli_errorf("--network %s cannot be combined with other networks", *t);
                                *mode = values->v[i];
                                continue;
                        }
                        colon = strchr(*t, ':');
                        if (colon)
                                *colon = '\0';
                        curname = json_object_get(nets, *t) ? NULL : *t;
                        if (!curname)
                                return cli_errorf("network %s is given twice", *t);
                        json_object_set_new(nets, *t, cur = json_object());
                        curname = json_object_iter_key(json_object_iter_at(nets, *t));
                        if (colon && (r = add_option(cur, curname, colon + 1)))
                                return r;
                }
        }
        return 0;
}

/* --ip, --mac-address and --network-alias belong to the one network joined. */
static int single_net_flags(const struct cli_netsel *n, json_t *nets)
{
        json_t *opts;
        int r;

        if (!n->ip && !n->mac_address && !n->network_alias.n && !n->ip6)
                return 0;
        if (json_object_size(nets) > 1)
                return cli_errorf(
                        "--ip, --ip6, --mac-address and --network-alias can only be set for a single network: "
                        "use --network NAME:ip=...,ip6=...,mac=...,alias=...");
        if (!json_object_size(nets))
                json_object_set_new(nets, "bridge", json_object());
        opts = json_object_iter_value(json_object_iter(nets));
        if (n->ip || n->ip6)
                json_object_del(opts, "static_ips");
        if ((n->ip && (r = add_static_ip(opts, "--ip", n->ip))) ||
            (n->ip6 && (r = add_static_ip(opts, "--ip6", n->ip6))))
                return r;
        if (n->mac_address)
                json_object_set_new(opts, "static_mac", json_string(n->mac_address));
        for (size_t i = 0; i < n->network_alias.n; i++) {
                json_t *a = json_object_get(opts, "aliases");
                if (!a)
                        json_object_set_new(opts, "aliases", a = json_array());
                json_array_append_new(a, json_string(n->network_alias.v[i]));
        }
        return 0;
}

int cli_network_params(const struct cli_netsel *n, json_t *p)
{
        _cleanup_json_ json_t *nets = json_object(), *ports = json_array();
        const char *mode = NULL;
        int r;

        if ((r = parse_networks(&n->network, &mode, nets)))
                return r;
        for (size_t i = 0; i < n->publish.n; i++)
                if ((r = cli_parse_publish(n->publish.v[i], ports)))
                        return r;
        if (mode && (n->ip || n->ip6 || n->mac_address || n->network_alias.n))
                return cli_errorf(
                        "--ip, --ip6, --mac-address and --network-alias need a bridge network, not --network %s", mode);
        if ((r = single_net_flags(n, nets)))
                return r;
        /* Published ports without --network: the default network, as podman's default for root. */
        if (!mode && (json_object_size(nets) || json_array_size(ports) || n->publish_all))
                mode = "bridge";
        if (mode && strncmp(mode, "bridge", 6) == 0) {
                if (!json_object_size(nets))
                        json_object_set_new(nets, "bridge", json_object());
                json_object_set_new(p, "NetworkMode", json_string("bridge"));
                json_object_set(p, "Networks", nets);
        } else if (mode) {
                json_object_set_new(p, "NetworkMode", json_string(mode));
        }
        if (json_array_size(ports))
                json_object_set(p, "PortMappings", ports);
        if (n->publish_all)
                json_object_set_new(p, "PublishAll", json_true());
        if (n->expose.n)
                json_object_set_new(p, "Expose", json_strv((char *const *)n->expose.v, (int)n->expose.n));
        return 0;
}
