/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Network definitions: podman 4's JSON (netavark's network_info), one
 * <name>.json per network in the network config directory (--network-
 * config-dir, containers.conf network_config_dir, else <root>/networks).
 * cpod keeps its own definitions and hands out its own addresses; so that
 * it never collides with podman on one host, a new network's subnet
 * avoids every host route and interface address (links that are down
 * too), podman's definitions in /etc/containers/networks and podman's
 * default 10.88.0.0/16, and its bridge is named after its ID (cpodXXXXXXXX),
 * never podmanN; the subnet is picked at random (see pick_subnet).
 * Files are read defensively: a malformed one is an error naming it when
 * asked for, a warning (and skipped) in listings.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cpod/config.h>

#include "net/net.h"

#include "runtime/lock.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/human.h"
#include "util/json.h"
#include "util/random.h"
#include "util/xalloc.h"

#define PODMAN_NET_DIR "/etc/containers/networks"

char *net_config_dir(struct cpod_runtime *rt)
{
        if (rt->network_config_dir && *rt->network_config_dir)
                return xstrdup(rt->network_config_dir);
        return path_join(rt->root, "networks");
}

int net_backend_check(struct cpod_runtime *rt, cpod_error_t *err)
{
        const char *b = rt->network_backend;

        if (!b || !*b || strcmp(b, "netavark") == 0 || strcmp(b, "cni") == 0)
                return 0;
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                              "unsupported network backend \"%s\" (cpod knows netavark and cni)", b);
}

const struct net_backend *net_backend_get(struct cpod_runtime *rt)
{
        const char *b = rt->network_backend;
        return b && strcmp(b, "cni") == 0 ? &net_backend_cni : &net_backend_netavark;
}

const char *net_default_name(struct cpod_runtime *rt)
{
        const char *n = rt->config->default_network;
        return n && *n ? n : "podman";
}

static bool name_ok(const char *n)
{
        if (!n || !isalnum((unsigned char)n[0]) || strlen(n) > 200)
                return false;
        for (const char *p = n; *p; p++)
                if (!isalnum((unsigned char)*p) && !strchr("_.-", *p))
                        return false;
        return true;
}

static bool ifname_ok(const char *n)
{
        return n && *n && strlen(n) < IFNAMSIZ && !strpbrk(n, "/: \t\n") && strcmp(n, ".") && strcmp(n, "..");
}

char *net_backend_name(const json_t *def)
{
        return xasprintf("cpod-%.12s", json_get_str(def, "id") ? json_get_str(def, "id") : "");
}

int net_def_subnet(const json_t *def, struct ip4net *ret, uint32_t *ret_gateway)
{
        json_t *s;
        size_t i;

        json_array_foreach(json_object_get(def, "subnets"), i, s) {
                if (ip4net_parse(json_get_str(s, "subnet"), ret) < 0)
                        continue;
                if (ret_gateway && !ip4_parse(json_get_str(s, "gateway"), ret_gateway))
                        *ret_gateway = ret->addr + 1;
                return 0;
        }
        return -EINVAL;
}

int net_def_ipnet(const json_t *def, size_t i, struct ipnet *ret, int *ret_gwaf, ip_u128 *ret_gateway)
{
        json_t *s = json_array_get(json_object_get(def, "subnets"), i);
        int af;
        ip_u128 gw;

        if (!s || ipnet_parse(json_get_str(s, "subnet"), ret) < 0)
                return -EINVAL;
        if (!json_get_str(s, "gateway")) {
                af = ret->af;
                gw = ret->addr + 1;
        } else if (!ip_parse(json_get_str(s, "gateway"), &af, &gw)) {
                return -EINVAL;
        }
        if (ret_gwaf)
                *ret_gwaf = af;
        if (ret_gateway)
                *ret_gateway = gw;
        return 0;
}

static bool prefix_ok(const struct ipnet *n)
{
        return n->af == AF_INET ? n->prefix >= 8 && n->prefix <= 30 : n->prefix >= 8 && n->prefix <= 126;
}

/* Subnets of a definition file: 1 to 16, each /8 to /30 (IPv6: /126) with its gateway inside (macvlan: none). */
static bool subnets_ok(const json_t *d)
{
        size_t n = json_array_size(json_object_get(d, "subnets"));

        if (n < 1 || n > 16)
                return false;
        for (size_t i = 0; i < n; i++) {
                struct ipnet s;
                int af;
                ip_u128 gw;
                if (net_def_ipnet(d, i, &s, &af, &gw) < 0 || !prefix_ok(&s) || !ipnet_contains(&s, af, gw))
                        return false;
        }
        return true;
}

/* A definition read from a file: the members netavark and cpod rely on, checked. */
static int check_def(const json_t *d, const char *file, const char *want_name, cpod_error_t *err)
{
        const char *name = json_get_str(d, "name"), *id = json_get_str(d, "id"), *drv = json_get_str(d, "driver");

        if (!json_is_object(d) || !name_ok(name) || (want_name && strcmp(name, want_name) != 0))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "network file %s: missing or wrong \"name\"", file);
        if (!id || strlen(id) != 64 || strspn(id, "0123456789abcdef") != 64)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "network file %s: \"id\" is not 64 hex digits",
                                      file);
        if (!drv || (strcmp(drv, "bridge") != 0 && strcmp(drv, "macvlan") != 0))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "network file %s: driver \"%s\" is not supported by cpod", file, drv ? drv : "");
        if (!ifname_ok(json_get_str(d, "network_interface")))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "network file %s: bad \"network_interface\"", file);
        if (!subnets_ok(d))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "network file %s: \"subnets\" must hold 1 to 16 subnets (IPv4 /8 to /30, IPv6 "
                                      "/8 to /126), each with its gateway",
                                      file);
        return 0;
}

static json_t *read_def(const char *dir, const char *name, cpod_error_t *err)
{
        _cleanup_free_ char *file = xasprintf("%s/%s.json", dir, name);
        json_t *d = json_parse_file(file, err);

        if (d && check_def(d, file, name, err) < 0) {
                json_decref(d);
                return NULL;
        }
        return d;
}

/* Every readable definition in dir (warn: report the bad ones through rt, may be NULL). */
static json_t *read_all(struct cpod_runtime *rt, const char *dir)
{
        json_t *all = json_array();
        DIR *d = opendir(dir);
        struct dirent *e;

        while (d && (e = readdir(d))) {
                size_t n = strlen(e->d_name);
                cpod_error_t err = CPOD_ERROR_INIT;
                _cleanup_free_ char *name = NULL;
                json_t *j;

                if (n <= 5 || strcmp(e->d_name + n - 5, ".json") != 0 || e->d_name[0] == '.')
                        continue;
                name = xstrndup(e->d_name, n - 5);
                if ((j = read_def(dir, name, &err)))
                        json_array_append_new(all, j);
                else if (rt)
                        rt_warn(rt, "%s", err.msg ? err.msg : "unreadable network file");
                cpod_error_clear(&err);
        }
        if (d)
                closedir(d);
        return all;
}

static int cmp_name(const void *a, const void *b)
{
        return strcmp(json_get_str(*(json_t *const *)a, "name"), json_get_str(*(json_t *const *)b, "name"));
}

static json_t *sorted(json_t *arr)
{
        size_t n = json_array_size(arr);
        json_t **v = xnew0(json_t *, n + 1), *out = json_array();

        for (size_t i = 0; i < n; i++)
                v[i] = json_array_get(arr, i);
        qsort(v, n, sizeof(*v), cmp_name);
        for (size_t i = 0; i < n; i++)
                json_array_append(out, v[i]);
        free(v);
        json_decref(arr);
        return out;
}

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

static json_t *find_in(json_t *all, const char *name)
{
        size_t i, n = strlen(name), hits = 0;
        json_t *d, *pre = NULL;

        json_array_foreach(all, i, d) {
                if (strcmp(json_get_str(d, "name"), name) == 0 || strcmp(json_get_str(d, "id"), name) == 0)
                        return d;
                if (n >= 3 && strncmp(json_get_str(d, "id"), name, n) == 0)
                        pre = d, hits++;
        }
        return hits == 1 ? pre : NULL;
}

/* Member key of a request: a string or an array of strings; its i-th string (NULL past the end). */
static const char *req_item(const json_t *req, const char *key, size_t i)
{
        json_t *v = json_object_get(req, key);
        return json_is_array(v) ? json_string_value(json_array_get(v, i)) : i == 0 ? json_string_value(v) : NULL;
}

static size_t req_count(const json_t *req, const char *key)
{
        json_t *v = json_object_get(req, key);
        return json_is_array(v) ? json_array_size(v) : json_is_string(v) ? 1 : 0;
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

/* The subnets of a request (--subnet, --gateway and --ip-range by position), checked, or free ones. */
static int request_subnets(const json_t *req, bool macvlan, json_t *ours, json_t *podmans, json_t *subnets,
                           bool *ret_v6, cpod_error_t *err)
{
        size_t ns = req_count(req, "subnet");
        bool have[2] = { false, false };
        struct ipnet n;
        int r;

        if (req_count(req, "gateway") > ns)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "cannot set more gateways than subnets");
        if (req_count(req, "ip_range") > ns)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "cannot set more ranges than subnets");
        for (size_t i = 0; i < ns; i++) {
                const char *s = req_item(req, "subnet", i);
                _cleanup_free_ char *what = NULL;
                struct ipnet o;
                if (!s || ipnet_parse(s, &n) < 0)
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid subnet \"%s\"", s ? s : "");
                if (!prefix_ok(&n))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "subnet %s: the prefix must be /8 to /%d", s,
                                              n.af == AF_INET ? 30 : 126);
                for (size_t k = 0; k < i; k++)
                        if (ipnet_parse(req_item(req, "subnet", k), &o) == 0 && ipnet_overlap(&n, &o))
                                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "subnet %s is given twice", s);
                /* as podman: a macvlan network's subnet is the parent's own, used on the host by design */
                if (!macvlan && !subnet_free(&n, ours, podmans, &what))
                        return cpod_error_set(err, EEXIST, CPOD_E_EXISTS,
                                              "subnet %s is already used on the host or by another config (%s)", s,
                                              what);
                have[n.af == AF_INET6] = true;
                if ((r = add_subnet(&n, s, req_item(req, "gateway", i), req_item(req, "ip_range", i), subnets, err)) <
                    0)
                        return r;
        }
        /* As podman: no subnet gives an IPv4 one; --ipv6 makes the network dual stack. */
        for (int v6 = 0; v6 < 2; v6++) {
                if (have[v6] || (v6 && !json_get_bool(req, "ipv6", false)) ||
                    (!v6 && ns && !json_get_bool(req, "ipv6", false)))
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
        if (!*ret || !ifname_ok(*ret) || !link_exists(*ret))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "parent interface %s does not exist",
                                      *ret ? *ret : "(no default route)");
        return 0;
}

static int build_def(struct cpod_runtime *rt, const json_t *req, json_t *ours, json_t *podmans, json_t **ret,
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
        if (!mv && ifn && (!ifname_ok(ifn) || link_exists(ifn)))
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

static char *auto_name(json_t *ours)
{
        for (unsigned i = 1;; i++) {
                char *n = xasprintf("podman%u", i);
                if (!find_in(ours, n))
                        return n;
                free(n);
        }
}

/* Create under the networks lock: the checks and the choice of subnet and bridge see every other create. */
static int create_locked(struct cpod_runtime *rt, const char *dir, const json_t *req, json_t **ret, cpod_error_t *err)
{
        _cleanup_json_ json_t *ours = read_all(NULL, dir), *podmans = read_all(NULL, PODMAN_NET_DIR), *r2 = NULL;
        _cleanup_free_ char *name = json_get_str(req, "name") ? xstrdup(json_get_str(req, "name")) : auto_name(ours);
        _cleanup_free_ char *file = NULL;
        json_t *def = NULL;

        if (!name_ok(name))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "network name %s invalid: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*", name);
        if (find_in(ours, name) && strcmp(json_get_str(find_in(ours, name), "name"), name) == 0)
                return cpod_error_set(err, EEXIST, CPOD_E_EXISTS,
                                      "network name %s already used: network already exists", name);
        r2 = json_deep_copy(req);
        json_object_set_new(r2, "name", json_string(name));
        if (build_def(rt, r2, ours, podmans, &def, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        file = xasprintf("%s/%s.json", dir, name);
        if (json_write_file_atomic(file, def, JSON_INDENT(5), err) < 0) {
                json_decref(def);
                return cpod_error_rc(err, -EIO);
        }
        *ret = def;
        return 0;
}

int net_def_create(struct cpod_runtime *rt, const json_t *req, json_t **ret, cpod_error_t *err)
{
        _cleanup_free_ char *dir = net_config_dir(rt);
        int fd, r;

        if (mkdir_p(dir, 0755, err) < 0)
                return cpod_error_rc(err, -EIO);
        if ((fd = obj_lock(rt, "networks", err)) < 0)
                return fd;
        r = create_locked(rt, dir, req, ret, err);
        obj_unlock(fd);
        return r;
}

/* The default network, written on first use from containers.conf's default_network and default_subnet. */
static int ensure_default(struct cpod_runtime *rt, const char *dir, cpod_error_t *err)
{
        const char *name = net_default_name(rt), *sub = rt->config->default_subnet;
        _cleanup_free_ char *file = xasprintf("%s/%s.json", dir, name);
        _cleanup_json_ json_t *req = NULL, *def = NULL;
        int fd, r = 0;

        if (path_exists(file))
                return 0;
        if (mkdir_p(dir, 0755, err) < 0 || (fd = obj_lock(rt, "networks", err)) < 0)
                return cpod_error_rc(err, -EIO);
        req = json_pack("{s:s, s:b}", "name", name, "dns_enabled", 0);
        if (sub && *sub)
                json_object_set_new(req, "subnet", json_string(sub));
        if (!path_exists(file) && (r = create_locked(rt, dir, req, &def, err)) < 0)
                cpod_error_wrap(err, "create the default network %s", name);
        obj_unlock(fd);
        return r;
}

int net_def_get(struct cpod_runtime *rt, const char *name, json_t **ret, cpod_error_t *err)
{
        _cleanup_free_ char *dir = net_config_dir(rt);
        _cleanup_json_ json_t *all = NULL;
        json_t *d;

        if (strcmp(name, "bridge") == 0)
                name = net_default_name(rt);
        if (strcmp(name, net_default_name(rt)) == 0 && ensure_default(rt, dir, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (name_ok(name)) {
                _cleanup_free_ char *file = xasprintf("%s/%s.json", dir, name);
                if (path_exists(file))
                        return (*ret = read_def(dir, name, err)) ? 0 : cpod_error_rc(err, -EINVAL);
        }
        all = read_all(NULL, dir);
        if (!(d = find_in(all, name)))
                return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_OBJECT,
                                      "unable to find network with name or ID %s: network not found", name);
        *ret = json_incref(d);
        return 0;
}

int net_def_list(struct cpod_runtime *rt, json_t **ret, cpod_error_t *err)
{
        _cleanup_free_ char *dir = net_config_dir(rt);

        if (ensure_default(rt, dir, err) < 0)
                return cpod_error_rc(err, -EIO);
        *ret = sorted(read_all(rt, dir));
        return 0;
}

int net_def_delete(struct cpod_runtime *rt, const json_t *def, cpod_error_t *err)
{
        _cleanup_free_ char *dir = net_config_dir(rt);
        _cleanup_free_ char *file = xasprintf("%s/%s.json", dir, json_get_str(def, "name"));

        if (unlink(file) < 0 && errno != ENOENT)
                return cpod_error_sys(err, errno, "remove %s", file);
        return 0;
}
