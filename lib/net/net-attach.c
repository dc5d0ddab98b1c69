/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Wiring a container: its namespace, its addresses, then `netavark setup
 * NETNS` with the container's networks and ports as JSON on stdin.  What
 * was asked of netavark is recorded in <runroot>/networks/ctrs/<id>.json
 * before netavark runs, so teardown works after a crash at any point; the
 * result is added when setup succeeds.  Addresses (IPAM) are handed out
 * under a lock from what those records hold: the lowest free address of
 * the subnet (or its lease range), never the gateway.  The runroot is a
 * tmpfs, so a reboot frees every address with the namespaces.
 */
#include <errno.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/net.h"

#include "runtime/lock.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/failpoint.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/log.h"
#include "util/xalloc.h"

static char *status_file(struct cpod_runtime *rt, const char *id)
{
        return xasprintf("%s/networks/ctrs/%s.json", rt->runroot, id);
}

json_t *net_status(struct cpod_runtime *rt, const char *id)
{
        _cleanup_free_ char *f = status_file(rt, id);
        return path_exists(f) ? json_parse_file(f, NULL) : NULL;
}

json_t *net_attachments(struct cpod_runtime *rt)
{
        _cleanup_free_ char *dir = xasprintf("%s/networks/ctrs", rt->runroot);
        json_t *all = json_object();
        DIR *d = opendir(dir);
        struct dirent *e;

        while (d && (e = readdir(d))) {
                _cleanup_free_ char *f = NULL, *id = NULL;
                json_t *st;
                if (strlen(e->d_name) != 69 || strcmp(e->d_name + 64, ".json") != 0)
                        continue;
                f = path_join(dir, e->d_name);
                id = xstrndup(e->d_name, 64);
                if ((st = json_parse_file(f, NULL)))
                        json_object_set_new(all, id, st);
        }
        if (d)
                closedir(d);
        return all;
}

/* Every address the records of this runroot hold on network name (except container id's): address -> ID. */
static json_t *taken_on(struct cpod_runtime *rt, const char *name, const char *id)
{
        _cleanup_json_ json_t *all = net_attachments(rt);
        json_t *taken = json_object(), *st, *ip;
        const char *holder;
        size_t i;

        json_object_foreach(all, holder, st) {
                if (strcmp(holder, id) == 0)
                        continue;
                json_array_foreach(
                        json_object_get(json_object_get(json_path(st, "input.networks"), name), "static_ips"), i, ip)
                        if (json_is_string(ip))
                                json_object_set_new(taken, json_string_value(ip), json_string(holder));
        }
        return taken;
}

static bool contains_str(const json_t *arr, const char *s)
{
        json_t *v;
        size_t i;

        json_array_foreach(arr, i, v)
                if (s && json_is_string(v) && strcmp(json_string_value(v), s) == 0)
                        return true;
        return false;
}

/* The first and last address handed out of subnet i (its lease range, never the subnet or IPv4 broadcast). */
static void usable(const json_t *def, size_t i, const struct ipnet *n, ip_u128 *first, ip_u128 *last)
{
        json_t *lr = json_object_get(json_array_get(json_object_get(def, "subnets"), i), "lease_range");
        ip_u128 a;
        int af;

        *first = n->addr + 1;
        *last = ipnet_last(n) - (n->af == AF_INET);
        if (lr && ip_parse(json_get_str(lr, "start_ip"), &af, &a) && ipnet_contains(n, af, a) && a > *first)
                *first = a;
        if (lr && ip_parse(json_get_str(lr, "end_ip"), &af, &a) && ipnet_contains(n, af, a) && a < *last)
                *last = a;
}

/* The requested address for subnet i, checked (NULL: none requested in it). */
static int wanted(const json_t *def, const json_t *want, const struct ipnet *n, ip_u128 gw, json_t *taken, char **ret,
                  cpod_error_t *err)
{
        const char *w;
        json_t *v;
        size_t k;
        ip_u128 a;
        int af;

        *ret = NULL;
        json_array_foreach(want, k, v) {
                if (!(w = json_string_value(v)) || !ip_parse(w, &af, &a) || !ipnet_contains(n, af, a))
                        continue;
                if (a == n->addr || a == gw || (af == AF_INET && a == ipnet_last(n)))
                        break;
                if (json_object_get(taken, w))
                        return cpod_error_set(
                                err, EADDRINUSE, CPOD_E_IN_USE,
                                "IPAM error: requested ip address %s is already allocated to container ID %.64s", w,
                                json_string_value(json_object_get(taken, w)));
                *ret = ip_str(af, a);
                return 0;
        }
        return 0;
}

/* One address per subnet of the network: a requested one if free, else the lowest free of the subnet (or range). */
static int allocate(struct cpod_runtime *rt, const json_t *def, const json_t *want, const char *id, json_t *ret,
                    cpod_error_t *err)
{
        _cleanup_json_ json_t *taken = taken_on(rt, json_get_str(def, "name"), id);
        const char *name = json_get_str(def, "name");
        json_t *v = NULL;
        size_t i, used = 0;

        for (i = 0;; i++) {
                struct ipnet n;
                ip_u128 gw, first, last, a;
                char *ip = NULL;
                if (net_def_ipnet(def, i, &n, NULL, &gw) < 0)
                        break;
                if (wanted(def, want, &n, gw, taken, &ip, err) < 0)
                        return -EADDRINUSE;
                used += ip != NULL;
                usable(def, i, &n, &first, &last);
                for (a = first; !ip && a <= last && a - first < 65536; a++) {
                        _cleanup_free_ char *s = ip_str(n.af, a);
                        if (a != gw && !json_object_get(taken, s))
                                ip = TAKE_PTR(s);
                }
                if (!ip)
                        return cpod_error_set(err, ENOSPC, CPOD_E_INVALID,
                                              "IPAM error: failed to get ip address for network %s: no free address",
                                              name);
                json_array_append_new(ret, json_string_take(ip));
        }
        if (used < json_array_size(want)) {
                json_array_foreach(want, i, v)
                        if (!contains_str(ret, json_string_value(v)))
                                break;
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "IPAM error: requested ip address %s is not in the usable range of network %s",
                                      json_string_value(v) ? json_string_value(v) : "", name);
        }
        return 0;
}

/* Does a subnet of the network collide with a route or address of the host (its own bridge aside)? */
static int host_collision(const json_t *def, cpod_error_t *err)
{
        _cleanup_free_ char *what = NULL, *sub = NULL;
        struct ipnet n;

        if (strcmp(json_get_str(def, "driver"), "bridge") != 0)
                return 0; /* macvlan: the parent's own subnet is the point */
        for (size_t i = 0; net_def_ipnet(def, i, &n, NULL, NULL) == 0; i++)
                if (ipnet_host_used(&n, json_get_str(def, "network_interface"), &what)) {
                        sub = ipnet_str(&n);
                        return cpod_error_set(err, EADDRINUSE, CPOD_E_IN_USE,
                                              "network %s: its subnet %s collides with the %s on this host",
                                              json_get_str(def, "name"), sub, what);
                }
        return 0;
}

/* One network of the request: its definition into info, its netavark options into nets. */
static int add_network(struct cpod_runtime *rt, const struct net_request *req, const char *name, const json_t *opts,
                       unsigned k, json_t *nets, json_t *info, cpod_error_t *err)
{
        _cleanup_json_ json_t *def = NULL, *ips = json_array(), *aliases = json_array();
        const char *ifn = json_get_str(opts, "interface_name"), *mac = json_get_str(opts, "static_mac");
        json_t *o, *a;
        size_t i;

        if (net_def_get(rt, name, &def, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (host_collision(def, err) < 0)
                return -EADDRINUSE;
        if (json_object_get(nets, json_get_str(def, "name")))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "network %s is given twice",
                                      json_get_str(def, "name"));
        if (allocate(rt, def, json_object_get(opts, "static_ips"), req->id, ips, err) < 0)
                return -EINVAL;
        if (json_get_bool(def, "dns_enabled", false) && !req->anchor) {
                json_array_append_new(aliases, json_stringn(req->id, 12));
                json_array_foreach(json_object_get(opts, "aliases"), i, a)
                        json_array_append(aliases, a);
        }
        o = json_pack("{s:O, s:O, s:s}", "static_ips", ips, "aliases", aliases, "interface_name",
                      ifn && *ifn ? ifn : "");
        if (!(ifn && *ifn))
                json_object_set_new(o, "interface_name", json_string_take(xasprintf("eth%u", k)));
        if (mac && *mac)
                json_object_set_new(o, "static_mac", json_string(mac));
        json_object_set_new(nets, json_get_str(def, "name"), o);
        json_object_set(info, json_get_str(def, "name"), def);
        return 0;
}

static int build_input(struct cpod_runtime *rt, const struct net_request *req, json_t **ret, cpod_error_t *err)
{
        json_t *nets = json_object(), *info = json_object(), *opts;
        const char *name;
        unsigned k = 0;

        json_object_foreach((json_t *)req->networks, name, opts) {
                if (add_network(rt, req, name, opts, k++, nets, info, err) < 0) {
                        json_decref(nets);
                        json_decref(info);
                        return -EINVAL;
                }
        }
        *ret = json_pack("{s:s, s:s, s:o, s:o}", "container_id", req->id, "container_name", req->name, "networks", nets,
                         "network_info", info);
        if (json_array_size(req->ports))
                json_object_set_new(*ret, "port_mappings", json_deep_copy(req->ports));
        return 0;
}

/* The backend that wired an attachment (recorded, so a later change of backend still undoes it). */
static const struct net_backend *backend_of(const json_t *st)
{
        const char *b = json_get_str(st, "backend");
        return b && strcmp(b, "cni") == 0 ? &net_backend_cni : &net_backend_netavark;
}

static int write_status(const struct net_backend *b, const char *file, const char *netns, bool anchor, json_t *input,
                        json_t *result, cpod_error_t *err)
{
        _cleanup_json_ json_t *st =
                json_pack("{s:s, s:s, s:b, s:O}", "netns", netns, "backend", b->name, "anchor", anchor, "input", input);

        if (result)
                json_object_set(st, "result", result);
        return json_write_file_atomic(file, st, JSON_COMPACT, err);
}

/* Hand out the addresses and record the request, under the IPAM lock. */
static int reserve(struct cpod_runtime *rt, const struct net_request *req, const char *file, const char *netns,
                   json_t **ret_input, cpod_error_t *err)
{
        _cleanup_free_ char *dir = xasprintf("%s/networks/ctrs", rt->runroot);
        int fd, r;

        if (mkdir_p(dir, 0700, err) < 0 || (fd = obj_lock(rt, "networks-ipam", err)) < 0)
                return cpod_error_rc(err, -EIO);
        if ((r = build_input(rt, req, ret_input, err)) == 0 &&
            (r = write_status(net_backend_get(rt), file, netns, req->anchor, *ret_input, NULL, err)) < 0) {
                json_decref(*ret_input);
                *ret_input = NULL;
        }
        obj_unlock(fd);
        return r;
}

/* The namespace and netavark's setup for a reserved attachment (the netavark lock is held). */
static int wire(struct cpod_runtime *rt, bool anchor, const char *file, const char *ns, json_t *input,
                cpod_error_t *err)
{
        _cleanup_json_ json_t *result = NULL;
        int r;

        if ((r = failpoint("net-after-reserve", err)) < 0 || (r = netns_create(ns, err)) < 0)
                return r;
        if (json_object_size(json_object_get(input, "networks")))
                r = net_backend_get(rt)->setup(rt, ns, input, &result, err);
        else
                result = json_object();
        if (r < 0 || (r = failpoint("net-after-setup", err)) < 0)
                return r;
        return write_status(net_backend_get(rt), file, ns, anchor, input, result, err);
}

/* Keep every network of the input up while this attachment exists (net-anchor.c). */
static int anchors(struct cpod_runtime *rt, const struct net_backend *b, json_t *input, cpod_error_t *err)
{
        const char *name;
        json_t *def;
        int r;

        if (!b->anchors)
                return 0;
        json_object_foreach(json_object_get(input, "network_info"), name, def)
                if (strcmp(json_get_str(def, "driver"), "bridge") == 0 && (r = net_anchor_ensure(rt, def, err)) < 0)
                        return r;
        return 0;
}

int net_setup_locked(struct cpod_runtime *rt, const struct net_request *req, char **ret_netns, cpod_error_t *err)
{
        _cleanup_free_ char *file = status_file(rt, req->id), *ns = netns_path(rt, req->id);
        _cleanup_json_ json_t *input = NULL;
        int r;

        if (path_exists(file) || path_exists(ns))
                net_teardown_locked(rt, req->id); /* an earlier run that was never cleaned up */
        if ((r = reserve(rt, req, file, ns, &input, err)) < 0)
                return r;
        if ((!req->anchor && (r = anchors(rt, net_backend_get(rt), input, err)) < 0) ||
            (r = wire(rt, req->anchor, file, ns, input, err)) < 0) {
                net_teardown_locked(rt, req->id);
                return r;
        }
        *ret_netns = TAKE_PTR(ns);
        return 0;
}

int net_setup(struct cpod_runtime *rt, const struct net_request *req, char **ret_netns, cpod_error_t *err)
{
        int fd = obj_lock(rt, "networks-netavark", err), r;

        if (fd < 0)
                return fd;
        r = net_setup_locked(rt, req, ret_netns, err);
        obj_unlock(fd);
        return r;
}

bool net_network_held(struct cpod_runtime *rt, const char *name, const char *except)
{
        _cleanup_json_ json_t *all = net_attachments(rt);
        const char *id;
        json_t *st;

        json_object_foreach(all, id, st)
                if ((!except || strcmp(id, except) != 0) && json_object_get(json_path(st, "input.networks"), name))
                        return true;
        return false;
}

void net_teardown_locked(struct cpod_runtime *rt, const char *id)
{
        _cleanup_free_ char *file = status_file(rt, id), *ns = netns_path(rt, id);
        _cleanup_json_ json_t *st = net_status(rt, id);
        cpod_error_t err = CPOD_ERROR_INIT;

        if (st && path_exists(ns) && json_object_size(json_path(st, "input.networks")) &&
            backend_of(st)->teardown(rt, ns, json_object_get(st, "input"), json_object_get(st, "result"), &err) < 0)
                log_warn("container %.12s: %s", id, err.msg ? err.msg : "network teardown failed");
        cpod_error_clear(&err);
        netns_remove(ns);
        (void)unlink(file);
        {
                const char *name;
                json_t *def;
                json_object_foreach(json_path(st, "input.network_info"), name, def)
                        if (!net_network_held(rt, name, NULL))
                                backend_of(st)->network_gone(rt, def);
        }
}

/* After a container left its networks: their anchors go now (linger 0) or in a reaper. */
static void release_anchors(struct cpod_runtime *rt, json_t *st, bool locked)
{
        const char *name;
        json_t *def;

        if (!st || json_get_bool(st, "anchor", false) || !backend_of(st)->anchors)
                return;
        json_object_foreach(json_path(st, "input.network_info"), name, def)
                if ((net_linger_seconds() == 0) == locked)
                        net_anchor_release(rt, name, json_get_str(def, "id"));
}

void net_teardown(struct cpod_runtime *rt, const char *id)
{
        _cleanup_json_ json_t *st = net_status(rt, id);
        int fd = obj_lock(rt, "networks-netavark", NULL);

        net_teardown_locked(rt, id);
        release_anchors(rt, st, true);
        if (fd >= 0)
                obj_unlock(fd);
        release_anchors(rt, st, false);
}

/* netavark's input for one network of a recorded attachment (ports too: they follow every network). */
static json_t *one_network_input(const json_t *in, const char *name)
{
        json_t *one = json_pack("{s:O, s:O, s:{s:O}, s:{s:O}}", "container_id", json_object_get(in, "container_id"),
                                "container_name", json_object_get(in, "container_name"), "networks", name,
                                json_object_get(json_object_get(in, "networks"), name), "network_info", name,
                                json_object_get(json_object_get(in, "network_info"), name));

        if (json_object_get(in, "port_mappings"))
                json_object_set(one, "port_mappings", json_object_get(in, "port_mappings"));
        return one;
}

int net_connect(struct cpod_runtime *rt, const struct net_request *req, cpod_error_t *err)
{
        _cleanup_free_ char *file = status_file(rt, req->id), *ns = netns_path(rt, req->id);
        _cleanup_json_ json_t *st = NULL, *add = NULL, *one = NULL, *res = NULL;
        json_t *in, *nets, *opts;
        const char *name = NULL;
        int fd, lk, r;

        if ((lk = obj_lock(rt, "networks-netavark", err)) < 0)
                return lk;
        st = net_status(rt, req->id);
        in = json_object_get(st, "input");
        nets = json_object_get(in, "networks");
        if (!st || !json_object_get(st, "result")) {
                obj_unlock(lk);
                return cpod_error_set(err, EINVAL, CPOD_E_CTR_STATE, "container %.12s has no network attachment",
                                      req->id);
        }
        if ((fd = obj_lock(rt, "networks-ipam", err)) < 0) {
                obj_unlock(lk);
                return fd;
        }
        if ((r = build_input(rt, req, &add, err)) == 0) {
                json_object_foreach(json_object_get(add, "networks"), name, opts) {
                        json_object_set(nets, name, opts);
                        json_object_set(json_object_get(in, "network_info"), name,
                                        json_object_get(json_object_get(add, "network_info"), name));
                        one = one_network_input(in, name);
                }
                r = write_status(backend_of(st), file, ns, false, in, json_object_get(st, "result"), err);
        }
        obj_unlock(fd);
        if (r == 0 && (r = anchors(rt, backend_of(st), add, err)) == 0 &&
            (r = backend_of(st)->setup(rt, ns, one, &res, err)) == 0) {
                json_object_update(json_object_get(st, "result"), res);
                r = write_status(backend_of(st), file, ns, false, in, json_object_get(st, "result"), err);
        }
        obj_unlock(lk);
        if (r < 0 && name)
                (void)net_disconnect(rt, req->id, name, NULL);
        return r;
}

int net_disconnect(struct cpod_runtime *rt, const char *id, const char *network, cpod_error_t *err)
{
        _cleanup_free_ char *file = status_file(rt, id), *ns = netns_path(rt, id), *name = xstrdup(network);
        _cleanup_json_ json_t *st = NULL, *one = NULL, *gone = NULL;
        json_t *in;
        int r = 0, lk;

        if ((lk = obj_lock(rt, "networks-netavark", err)) < 0)
                return lk;
        st = net_status(rt, id);
        in = json_object_get(st, "input");
        if (!json_object_get(json_object_get(in, "networks"), name)) {
                obj_unlock(lk);
                return 0;
        }
        one = one_network_input(in, name);
        if (json_object_get(st, "result"))
                r = backend_of(st)->teardown(rt, ns, one, json_object_get(st, "result"), err);
        json_object_del(json_object_get(in, "networks"), name);
        json_object_del(json_object_get(in, "network_info"), name);
        json_object_del(json_object_get(st, "result"), name);
        if (write_status(backend_of(st), file, ns, false, in, json_object_get(st, "result"), r < 0 ? NULL : err) < 0 &&
            r == 0)
                r = -EIO;
        /* the anchor of the network left may go now */
        gone = json_pack("{s:b, s:{s:O}}", "anchor", 0, "input", "network_info", json_object_get(one, "network_info"));
        release_anchors(rt, gone, true);
        obj_unlock(lk);
        release_anchors(rt, gone, false);
        return r;
}

int net_reload(struct cpod_runtime *rt, const char *id, cpod_error_t *err)
{
        _cleanup_free_ char *file = status_file(rt, id), *ns = netns_path(rt, id);
        _cleanup_json_ json_t *st = NULL, *res = NULL;
        json_t *in;
        int lk, r = 0;

        if ((lk = obj_lock(rt, "networks-netavark", err)) < 0)
                return lk;
        st = net_status(rt, id);
        in = json_object_get(st, "input");
        if (!st || !json_object_get(st, "result") || !json_object_size(json_object_get(in, "networks"))) {
                obj_unlock(lk);
                return cpod_error_set(err, EINVAL, CPOD_E_CTR_STATE, "container %.12s is not connected to a network",
                                      id);
        }
        /*
         * The same addresses again: teardown and setup of what was recorded, so rules a flush removed
         * come back.  The MAC addresses too: the host's neighbour entries for the addresses stay right.
         */
        {
                const char *name;
                json_t *opts;
                json_object_foreach(json_object_get(in, "networks"), name, opts) {
                        json_t *ifs =
                                json_object_get(json_object_get(json_object_get(st, "result"), name), "interfaces");
                        const char *mac =
                                json_get_str(json_object_get(ifs, json_get_str(opts, "interface_name")), "mac_address");
                        if (mac && *mac && !json_get_str(opts, "static_mac"))
                                json_object_set_new(opts, "static_mac", json_string(mac));
                }
        }
        (void)backend_of(st)->teardown(rt, ns, in, json_object_get(st, "result"), NULL);
        if ((r = backend_of(st)->setup(rt, ns, in, &res, err)) == 0)
                r = write_status(backend_of(st), file, ns, json_get_bool(st, "anchor", false), in, res, err);
        obj_unlock(lk);
        return r;
}
