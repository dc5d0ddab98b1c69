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
 * never podmanN; the subnet is picked at random (net-build.c).
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

bool net_ifname_ok(const char *n)
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

bool net_prefix_ok(const struct ipnet *n)
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
                if (net_def_ipnet(d, i, &s, &af, &gw) < 0 || !net_prefix_ok(&s) || !ipnet_contains(&s, af, gw))
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
        if (!net_ifname_ok(json_get_str(d, "network_interface")))
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
        if (net_def_build(rt, r2, ours, podmans, &def, err) < 0)
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
