/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A new network's definition from a create request: its subnets (given,
 * or picked free: a random /24 of 10.90.0.0 - 10.255.255.0, a random IPv6
 * ULA /64), gateways and lease ranges matched by position, the driver's
 * options (bridge: mtu; macvlan: mtu, parent, mode) and the bridge's name.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/net.h"

#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/human.h"
#include "util/json.h"
#include "util/random.h"
#include "util/xalloc.h"

/* Is the subnet free: no host route or address, none of podman's or cpod's networks, not podman's default? */
static bool subnet_free(const struct ipnet *n, json_t *ours, json_t *podmans, char **ret_what)
{
        static const struct ipnet podman_default = { AF_INET, 0x0a580000u, 16 };
        json_t *lists[2] = { ours, podmans }, *d;
        size_t i;

        if (ipnet_overlap(n, &podman_default)) {
                *ret_what = xstrdup("podman's default network 10.88.0.0/16");
                return false;
        }
        for (int l = 0; l < 2; l++)
                json_array_foreach(lists[l], i, d) {
                        struct ipnet o;
                        for (size_t k = 0; net_def_ipnet(d, k, &o, NULL, NULL) == 0; k++)
                                if (ipnet_overlap(n, &o)) {
                                        *ret_what = xasprintf("network %s", json_get_str(d, "name"));
                                        return false;
                                }
                }
        return !ipnet_host_used(n, NULL, ret_what);
}

/*
 * A free /24 of 10.90.0.0 - 10.255.255.0 (away from podman's default and the start of its pool),
 * chosen at random: networks of other cpod stores on the host are not known here, and those not
 * in use have no route to see, so a sequential choice would give every store the same subnets.
 * IPv6: a random unique local /64 (fd00::/8), as podman picks it.
 */
static int pick_subnet(int af, json_t *ours, json_t *podmans, struct ipnet *ret, cpod_error_t *err)
{
        const uint32_t first = 0x0a5a00u, count = 0x0b0000u - 0x0a5a00u; /* in /24 steps */
        uint32_t start;

        for (int i = 0; af == AF_INET6 && i < 1000; i++) {
                _cleanup_free_ char *what = NULL;
                ipnet_random_ula(ret);
                if (subnet_free(ret, ours, podmans, &what))
                        return 0;
        }
        if (af == AF_INET6)
                return cpod_error_set(err, ENOSPC, CPOD_E_INVALID, "no free IPv6 subnet found in fd00::/8");
        random_bytes(&start, sizeof(start));
        for (uint32_t i = 0; i < count; i++) {
                struct ipnet n = { AF_INET, (ip_u128)((first + (start + i) % count) << 8), 24 };
                _cleanup_free_ char *what = NULL;
                if (subnet_free(&n, ours, podmans, &what))
                        return *ret = n, 0;
        }
        return cpod_error_set(err, ENOSPC, CPOD_E_INVALID, "no free /24 subnet left in 10.90.0.0 - 10.255.255.0");
}

static bool link_exists(const char *name)
{
        _cleanup_free_ char *p = xasprintf("/sys/class/net/%s", name);
        return path_exists(p);
}

/* "cpod" and 8 digits of the network's ID: unique on the host across cpod's stores, never podman's. */
static char *pick_bridge(json_t *ours, const char *id)
{
        for (size_t off = 0; off + 8 <= 64; off += 8) {
                char name[IFNAMSIZ];
                bool used;
                size_t k;
                json_t *d;
                snprintf(name, sizeof(name), "cpod%.8s", id + off);
                used = link_exists(name);
                json_array_foreach(ours, k, d)
                        used = used || strcmp(json_get_str(d, "network_interface"), name) == 0;
                if (!used)
                        return xstrdup(name);
        }
        return xasprintf("cpod%.8s", id);
}

static char *new_id(void)
{
        unsigned char b[32];
        char *s = xmalloc(65);

        random_bytes(b, sizeof(b));
        for (int i = 0; i < 32; i++)
                snprintf(s + 2 * i, 3, "%02x", b[i]);
        return s;
}

/* Member key of a request: a string or an array of strings; its i-th string (NULL past the end or empty). */
static const char *req_item(const json_t *req, const char *key, size_t i)
{
        json_t *v = json_object_get(req, key);
        const char *s = json_is_array(v) ? json_string_value(json_array_get(v, i))
                        : i == 0         ? json_string_value(v)
                                         : NULL;
        return s && *s ? s : NULL;
}

/* How many positions the member holds, up to the last non-empty one ("" is a place holder). */
static size_t req_count(const json_t *req, const char *key)
{
        size_t n = json_is_array(json_object_get(req, key)) ? json_array_size(json_object_get(req, key)) : 1;

        while (n > 0 && !req_item(req, key, n - 1))
                n--;
        return n;
}

/* --ip-range: the lease range of the subnet (without its first and last address). */
static int add_range(const struct ipnet *n, const char *range, json_t *subnet, cpod_error_t *err)
{
        _cleanup_free_ char *sub = ipnet_str(n), *a = NULL, *b = NULL;
        struct ipnet rn;
        ip_u128 last;

        if (ipnet_parse(range, &rn) < 0 || !ipnet_overlap(n, &rn) || rn.prefix < n->prefix)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "ip-range %s is not inside subnet %s", range, sub);
        last = ipnet_last(&rn);
        a = ip_str(n->af, rn.addr == n->addr ? rn.addr + 1 : rn.addr);
        b = ip_str(n->af, last == ipnet_last(n) && n->af == AF_INET ? last - 1 : last);
        json_object_set_new(subnet, "lease_range", json_pack("{s:s, s:s}", "start_ip", a, "end_ip", b));
        return 0;
}

/* One subnet of the request (n given or picked), its gateway and range, appended to subnets. */
static int add_subnet(const struct ipnet *n, const char *s, const char *g, const char *range, json_t *subnets,
                      cpod_error_t *err)
{
        _cleanup_free_ char *sub = ipnet_str(n), *gw = NULL;
        json_t *o = json_object();
        ip_u128 gwa = n->addr + 1;
        int af = n->af;

        json_array_append_new(subnets, o);
        if (g && (!ip_parse(g, &af, &gwa) || !ipnet_contains(n, af, gwa) || gwa == n->addr))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "gateway %s not in subnet %s", g, s ? s : sub);
        gw = ip_str(af, gwa);
        json_object_set_new(o, "subnet", json_string(sub));
        json_object_set_new(o, "gateway", json_string(gw));
        return range ? add_range(n, range, o, err) : 0;
}

/* --subnet number i, parsed and checked (macvlan: not against the host, whose subnet it is by design). */
static int given_subnet(const json_t *req, size_t i, bool macvlan, json_t *ours, json_t *podmans, struct ipnet *n,
                        cpod_error_t *err)
{
        const char *s = req_item(req, "subnet", i);
        _cleanup_free_ char *what = NULL;
        struct ipnet o;

        if (!s || ipnet_parse(s, n) < 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid subnet \"%s\"", s ? s : "");
        if (!net_prefix_ok(n))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "subnet %s: the prefix must be /8 to /%d", s,
                                      n->af == AF_INET ? 30 : 126);
        for (size_t k = 0; k < i; k++)
                if (ipnet_parse(req_item(req, "subnet", k), &o) == 0 && ipnet_overlap(n, &o))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "subnet %s is given twice", s);
        if (!macvlan && !subnet_free(n, ours, podmans, &what))
                return cpod_error_set(err, EEXIST, CPOD_E_EXISTS,
                                      "subnet %s is already used on the host or by another config (%s)", s, what);
        return 0;
}

/* The subnets of a request (--subnet, --gateway and --ip-range by position), checked, or free ones. */
static int request_subnets(const json_t *req, bool macvlan, json_t *ours, json_t *podmans, json_t *subnets,
                           bool *ret_v6, cpod_error_t *err)
{
        size_t ns = req_count(req, "subnet");
        bool have[2] = { false, false }, ipv6 = json_get_bool(req, "ipv6", false);
        struct ipnet n;
        int r;

        if (!ns && (req_count(req, "gateway") || req_count(req, "ip_range")))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "cannot set gateway or range without subnet");
        if (req_count(req, "gateway") > ns)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "cannot set more gateways than subnets");
        if (req_count(req, "ip_range") > ns)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "cannot set more ranges than subnets");
        for (size_t i = 0; i < ns; i++) {
                if ((r = given_subnet(req, i, macvlan, ours, podmans, &n, err)) < 0 ||
                    (r = add_subnet(&n, req_item(req, "subnet", i), req_item(req, "gateway", i),
                                    req_item(req, "ip_range", i), subnets, err)) < 0)
                        return r;
                have[n.af == AF_INET6] = true;
        }
        /* As podman: no subnet gives an IPv4 one; --ipv6 makes the network dual stack. */
        for (int v6 = 0; v6 < 2; v6++) {
                if (have[v6] || (v6 ? !ipv6 : ns && !ipv6))
                        continue;
                if ((r = pick_subnet(v6 ? AF_INET6 : AF_INET, ours, podmans, &n, err)) < 0 ||
                    (r = add_subnet(&n, NULL, NULL, NULL, subnets, err)) < 0)
                        return r;
                have[v6] = true;
        }
        *ret_v6 = have[1];
        return 0;
}

static bool mtu_ok(const char *s)
{
        return s && *s && strspn(s, "0123456789") == strlen(s) && strlen(s) < 7 && atol(s) >= 68 && atol(s) <= 65535;
}

/* -o: mtu for every driver; parent and mode for macvlan (parent goes to network_interface). */
static int request_options(const char *driver, const json_t *req, json_t *def, cpod_error_t *err)
{
        static const char *const modes[] = { "bridge", "private", "vepa", "passthru", NULL };
        bool mv = strcmp(driver, "macvlan") == 0;
        json_t *o = json_object_get(req, "options"), *v;
        const char *k;

        json_object_set_new(def, "options", json_object());
        json_object_foreach(o, k, v) {
                const char *s = json_string_value(v) ? json_string_value(v) : "";
                bool ok = false;
                if (strcmp(k, "mtu") == 0 && !mtu_ok(s))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid mtu \"%s\"", s);
                if (mv && strcmp(k, "mode") == 0) {
                        for (size_t i = 0; modes[i]; i++)
                                ok = ok || strcmp(s, modes[i]) == 0;
                        if (!ok)
                                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                                      "unknown macvlan mode \"%s\" (bridge, private, vepa, passthru)",
                                                      s);
                }
                if (mv && strcmp(k, "parent") == 0) {
                        json_object_set_new(def, "parent", json_string(s));
                        continue;
                }
                if (strcmp(k, "mtu") != 0 && !(mv && strcmp(k, "mode") == 0))
                        return cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED,
                                              "unsupported %s network option %s (cpod knows %s)", driver, k,
                                              mv ? "mtu, parent, mode" : "mtu");
                json_object_set_new(json_object_get(def, "options"), k, json_string(s));
        }
        return 0;
}

/* The interface of the default route: podman's parent when none is given. */
static char *default_route_link(void)
{
        FILE *f = fopen("/proc/net/route", "re");
        char line[512], ifn[64];
        unsigned dst, mask;
        char *r = NULL;

        while (f && !r && fgets(line, sizeof(line), f))
                if (sscanf(line, "%63s %x %*x %*x %*d %*d %*d %x", ifn, &dst, &mask) == 3 && dst == 0 && mask == 0)
                        r = xstrdup(ifn);
        if (f)
                fclose(f);
        return r;
}

/* macvlan: the parent link (-o parent, --interface-name, else the default route's) must exist; a subnet is required. */
static int macvlan_parent(const json_t *req, json_t *opts, char **ret, cpod_error_t *err)
{
        const char *p =
                json_get_str(opts, "parent") ? json_get_str(opts, "parent") : json_get_str(req, "interface_name");

        if (!req_count(req, "subnet"))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "macvlan driver needs at least one subnet specified, DHCP is not supported by "
                                      "cpod");
        *ret = p ? xstrdup(p) : default_route_link();
        if (!*ret || !net_ifname_ok(*ret) || !link_exists(*ret))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "parent interface %s does not exist",
                                      *ret ? *ret : "(no default route)");
        return 0;
}

int net_def_build(struct cpod_runtime *rt, const json_t *req, json_t *ours, json_t *podmans, json_t **ret,
                  cpod_error_t *err)
{
        const char *driver = json_get_str(req, "driver") ? json_get_str(req, "driver") : "bridge",
                   *ifn = json_get_str(req, "interface_name");
        _cleanup_json_ json_t *d = json_object(), *subnets = json_array(), *opts = json_object();
        _cleanup_free_ char *id = new_id(), *created = NULL, *parent = NULL;
        struct timespec ts;
        json_t *labels = json_object_get(req, "labels");
        bool v6 = false, mv = strcmp(driver, "macvlan") == 0;
        int r;

        (void)rt;
        if (!mv && strcmp(driver, "bridge") != 0)
                return cpod_error_set(
                        err, ENOTSUP, CPOD_E_NOT_SUPPORTED, "unsupported driver %s%s", driver,
                        strcmp(driver, "ipvlan") == 0
                                ? ": cpod supports bridge and macvlan networks (this kernel has no ipvlan)"
                                : "");
        if (!mv && ifn && (!net_ifname_ok(ifn) || link_exists(ifn)))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "bridge name %s is invalid or already in use", ifn);
        if ((r = request_options(driver, req, opts, err)) < 0 ||
            (mv && (r = macvlan_parent(req, opts, &parent, err)) < 0) ||
            (r = request_subnets(req, mv, ours, podmans, subnets, &v6, err)) < 0)
                return r;
        clock_gettime(CLOCK_REALTIME, &ts);
        created = time_rfc3339nano(ts.tv_sec, ts.tv_nsec, 0);
        json_object_set_new(d, "name", json_string(json_get_str(req, "name")));
        json_object_set_new(d, "id", json_string(id));
        json_object_set_new(d, "driver", json_string(driver));
        json_object_set_new(d, "network_interface",
                            mv    ? json_string(parent)
                            : ifn ? json_string(ifn)
                                  : json_string_take(pick_bridge(ours, id)));
        json_object_set_new(d, "created", json_string(created));
        json_object_set(d, "subnets", subnets);
        json_object_set_new(d, "ipv6_enabled", json_boolean(v6));
        json_object_set_new(d, "internal", json_boolean(json_get_bool(req, "internal", false)));
        /* as podman: names are served on bridge networks only */
        json_object_set_new(d, "dns_enabled", json_boolean(!mv && json_get_bool(req, "dns_enabled", true)));
        if (json_object_size(labels))
                json_object_set(d, "labels", labels);
        if (json_object_size(json_object_get(opts, "options")))
                json_object_set(d, "options", json_object_get(opts, "options"));
        json_object_set_new(d, "ipam_options", json_pack("{s:s}", "driver", "host-local"));
        *ret = json_incref(d);
        return 0;
}
