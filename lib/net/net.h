/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Networks (lib/net): definitions in podman 4's JSON format, one file per
 * network under the network config directory; addresses handed out by
 * cpod (IPAM) from what the containers of this runroot hold; and a backend
 * that wires a container's network namespace (netavark).  Below lib/ctr:
 * nothing here knows a container record, only an ID, a name and the
 * container's requests.
 */
#ifndef CPOD_NET_NET_H
#define CPOD_NET_NET_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include <jansson.h>

#include <cpod/error.h>

struct cpod_runtime;

/* ---- net-ip4.c: IPv4 subnets ---- */
struct ip4net {
        uint32_t addr; /* host order, masked */
        int prefix;
};
bool ip4_parse(const char *s, uint32_t *ret);
int ip4net_parse(const char *s, struct ip4net *ret); /* "A.B.C.D/N"; 0 or -EINVAL */
char *ip4_str(uint32_t a);
char *ip4net_str(const struct ip4net *n);
uint32_t ip4net_mask(int prefix);
bool ip4net_contains(const struct ip4net *n, uint32_t a);
bool ip4net_overlap(const struct ip4net *a, const struct ip4net *b);
/*
 * Does a route or an interface address of the host (of any link, up or down) overlap n?  Links
 * named except are not counted (the network's own bridge).  *ret_what (may be NULL) says which.
 */
bool ip4net_host_used(const struct ip4net *n, const char *except, char **ret_what);
/*
 * A backend result's first interface ({interfaces: {NAME: {mac_address, subnets: [{ipnet,
 * gateway}]}}}): *ret_ifc (may be NULL) and its first IPv4 subnet; the address of that subnet's "ipnet"
 * (caller frees; NULL when none) with its prefix length in *ret_prefix (may be NULL).
 */
char *net_result_addr(const json_t *res, json_t **ret_ifc, json_t **ret_subnet, int *ret_prefix);
/* The same for the first subnet of family af (AF_INET6: the container's global IPv6 address). */
char *net_result_addr_af(const json_t *res, int af, json_t **ret_ifc, json_t **ret_subnet, int *ret_prefix);

/* ---- net-ip.c: subnets of either family (AF_INET, AF_INET6) ---- */
typedef unsigned __int128 ip_u128;
struct ipnet {
        int af;
        ip_u128 addr; /* masked */
        int prefix;
};
int ipnet_bits(int af);
bool ip_parse(const char *s, int *ret_af, ip_u128 *ret);
int ipnet_parse(const char *s, struct ipnet *ret); /* 0 or -1 */
char *ip_str(int af, ip_u128 a);
char *ipnet_str(const struct ipnet *n);
ip_u128 ipnet_hostmask(int af, int prefix);
ip_u128 ipnet_last(const struct ipnet *n);
bool ipnet_contains(const struct ipnet *n, int af, ip_u128 a);
bool ipnet_overlap(const struct ipnet *a, const struct ipnet *b);
/* ip4net_host_used for either family (IPv6: routes and addresses but link-local and multicast ones). */
bool ipnet_host_used(const struct ipnet *n, const char *except, char **ret_what);
/* A random unique local /64 (fdXX:XXXX:XXXX:XXXX::/64), as podman picks for --ipv6. */
void ipnet_random_ula(struct ipnet *ret);

/* ---- backends (netavark.c, cni.c) ---- */
struct net_backend {
        const char *name;
        bool anchors; /* networks are kept up between containers (net-anchor.c) */
        /*
         * Wire netns as input says ({container_id, container_name, networks{NAME: {static_ips,
         * static_mac, aliases, interface_name}}, network_info{NAME: definition}, port_mappings});
         * *ret is netavark's result form: {NAME: {interfaces{IF: {mac_address, subnets[{ipnet,
         * gateway}]}}, dns_server_ips, dns_search_domains}} (plus what the backend keeps for teardown).
         */
        int (*setup)(struct cpod_runtime *rt, const char *netns, const json_t *input, json_t **ret, cpod_error_t *err);
        /* Undo it; result is what setup returned (NULL when it never finished). */
        int (*teardown)(struct cpod_runtime *rt, const char *netns, const json_t *input, const json_t *result,
                        cpod_error_t *err);
        /* Nothing holds the network any more: drop what the backend leaves behind. */
        void (*network_gone)(struct cpod_runtime *rt, const json_t *def);
};
extern const struct net_backend net_backend_netavark, net_backend_cni;
/* The backend chosen (--network-backend, containers.conf network_backend; netavark by default). */
const struct net_backend *net_backend_get(struct cpod_runtime *rt);

/* cni-dns.c: aardvark-dns for CNI networks (names: "NAME,ALIAS,..."; ip6 may be ""). */
int cni_dns_add(struct cpod_runtime *rt, const char *nvname, const char *gateway, const char *id, const char *ip,
                const char *ip6, const char *names, cpod_error_t *err);
void cni_dns_remove(struct cpod_runtime *rt, const char *nvname, const char *id);

/* ---- net-def.c: definitions ---- */
/* Is the backend setting one cpod knows (netavark, cni)? */
int net_backend_check(struct cpod_runtime *rt, cpod_error_t *err);
char *net_config_dir(struct cpod_runtime *rt);
const char *net_default_name(struct cpod_runtime *rt);
/* Load by name, ID or unique ID prefix; "bridge" and the default name give the default network, created now if need be.
 */
int net_def_get(struct cpod_runtime *rt, const char *name, json_t **ret, cpod_error_t *err);
/* Every definition, sorted by name (the default network among them, created if need be). */
int net_def_list(struct cpod_runtime *rt, json_t **ret, cpod_error_t *err);
/* Create from a request ({name, driver, subnet, gateway, ip_range, internal, dns_enabled, labels, options}). */
int net_def_create(struct cpod_runtime *rt, const json_t *req, json_t **ret, cpod_error_t *err);
int net_def_delete(struct cpod_runtime *rt, const json_t *def, cpod_error_t *err);
bool net_ifname_ok(const char *n);
bool net_prefix_ok(const struct ipnet *n); /* IPv4 /8 to /30, IPv6 /8 to /126 */
/*
 * net-build.c: the definition a create request asks for, checked against ours and podmans (the
 * definitions of this store and podman's); nothing is written.
 */
int net_def_build(struct cpod_runtime *rt, const json_t *req, json_t *ours, json_t *podmans, json_t **ret,
                  cpod_error_t *err);
/*
 * The name the backends get for a network: "cpod-" and 12 digits of its ID.  netavark names its
 * firewall chains (and aardvark's files) after it, and CNI its chains and IPAM state, so it must be
 * unique on the host: podman's default network and cpod's are both "podman", and stores differ.
 */
char *net_backend_name(const json_t *def);
/* The first IPv4 subnet of a definition (-EINVAL when it has none). */
int net_def_subnet(const json_t *def, struct ip4net *ret, uint32_t *ret_gateway);
/* Subnet i of a definition, either family, with its gateway (family and address; may be NULL). */
int net_def_ipnet(const json_t *def, size_t i, struct ipnet *ret, int *ret_gwaf, ip_u128 *ret_gateway);

/* ---- netns.c: network namespaces bind-mounted under the runroot ---- */
char *netns_path(struct cpod_runtime *rt, const char *id);
int netns_create(const char *path, cpod_error_t *err);
void netns_remove(const char *path);
/* Delete a network interface of the host by name (absent: 0); < 0 is -errno. */
int link_delete(const char *name);

/* ---- net-attach.c: a container's attachments (netavark) ---- */
struct net_request {
        const char *id, *name;
        const json_t *networks; /* name -> {static_ips, static_mac, aliases, interface_name} */
        const json_t *ports;    /* [{host_ip, container_port, host_port, range, protocol}] */
        bool anchor;            /* the namespace that keeps a network up (net-anchor.c) */
};
/* Make the namespace, hand out addresses, wire it; *ret_netns is the namespace file to join. */
int net_setup(struct cpod_runtime *rt, const struct net_request *req, char **ret_netns, cpod_error_t *err);
/* Undo net_setup (also after a crash half-way through it); nothing when not attached. */
void net_teardown(struct cpod_runtime *rt, const char *id);
/* The same, for a caller that holds the netavark lock (obj_lock "networks-netavark"). */
int net_setup_locked(struct cpod_runtime *rt, const struct net_request *req, char **ret_netns, cpod_error_t *err);
void net_teardown_locked(struct cpod_runtime *rt, const char *id);

/* ---- net-anchor.c: networks stay up between containers ---- */
int net_linger_seconds(void); /* CPOD_NETWORK_LINGER, default 30 */
/* Attach the network's anchor unless it is there (netavark lock held). */
int net_anchor_ensure(struct cpod_runtime *rt, const json_t *def, cpod_error_t *err);
/* A container left network name: with linger 0 the idle anchor goes now (lock held), else a reaper is started. */
void net_anchor_release(struct cpod_runtime *rt, const char *name, const char *anchor_id);
/* The reaper (cpod network reap): once the network was idle for `after` seconds, its anchor goes. */
int net_reap(struct cpod_runtime *rt, const char *name, const char *anchor_id, int after, cpod_error_t *err);
/* Take down the anchors of every network (network rm: of that one only; NULL for all). */
void net_anchors_down(struct cpod_runtime *rt, const char *name);
/*
 * A running container joins one more network (req->networks holds it, with its interface_name:
 * lib/ctr names every interface, so it never collides with one the container has) / leaves one.
 */
int net_connect(struct cpod_runtime *rt, const struct net_request *req, cpod_error_t *err);
int net_disconnect(struct cpod_runtime *rt, const char *id, const char *network, cpod_error_t *err);
/* network reload: wire a running container again with the addresses it has (after a firewall flush). */
int net_reload(struct cpod_runtime *rt, const char *id, cpod_error_t *err);
/* What net_setup recorded ({netns, input, result}), NULL when not attached. */
json_t *net_status(struct cpod_runtime *rt, const char *id);
/* Every attachment record of this runroot: container (or anchor) ID -> what net_status gives. */
json_t *net_attachments(struct cpod_runtime *rt);
/* Does an attachment of this runroot (other than except's; anchors count) hold network name? */
bool net_network_held(struct cpod_runtime *rt, const char *name, const char *except);
/* The netavark binary (helper_binaries_dir, then podman's places, then PATH); NULL with err set. */
char *net_helper(struct cpod_runtime *rt, const char *name, cpod_error_t *err);

#endif
