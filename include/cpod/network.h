/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Networks (cpod-network(1)).  A network is podman 4's JSON object (name,
 * id, driver, network_interface, created, subnets[{subnet, gateway,
 * lease_range}], ipv6_enabled, internal, dns_enabled, labels, options,
 * ipam_options), the same one `network inspect` prints and netavark reads.
 */
#ifndef CPOD_NETWORK_H
#define CPOD_NETWORK_H

#include <jansson.h>
#include <stdbool.h>

#include <cpod/error.h>
#include <cpod/runtime.h>

/*
 * Create.  Request: name (default: the next free podmanN), driver ("bridge"), subnet, gateway,
 * ip_range (CIDR, inside subnet), internal, dns_enabled (default true), labels{}, options{mtu},
 * interface_name (the bridge; default cpodN).  *ret: the network.
 */
CPOD_PUBLIC int cpod_network_create(struct cpod_runtime *rt, const json_t *req, json_t **ret, cpod_error_t *err);
/* Every network, sorted by name (the default network is created on first use, so it is there). */
CPOD_PUBLIC int cpod_network_list(struct cpod_runtime *rt, json_t **ret, cpod_error_t *err);
/* By name, ID or unique ID prefix ("bridge" is the default network). */
CPOD_PUBLIC int cpod_network_inspect(struct cpod_runtime *rt, const char *name, json_t **ret, cpod_error_t *err);
/*
 * Remove.  A network containers use is removed only with force, which removes those containers
 * first (timeout for stopping them: -1 for each one's own).  The default network cannot be removed.
 * *ret_name: the removed network's name (caller frees; may be NULL).
 */
CPOD_PUBLIC int cpod_network_remove(struct cpod_runtime *rt, const char *name, bool force, int timeout, char **ret_name,
                                    cpod_error_t *err);
/* IDs of the containers joined to a network (NULL-terminated; the caller frees each and the array). */
CPOD_PUBLIC int cpod_network_containers(struct cpod_runtime *rt, const char *name, char ***ret, cpod_error_t *err);

/*
 * Join a container to one more network / take it off one (podman network connect/disconnect).
 * A running container is wired or unwired at once; any other keeps the change for its next start.
 * opts: {static_ips: [IP], static_mac, aliases: [...], interface_name} or NULL.
 */
CPOD_PUBLIC int cpod_network_connect(struct cpod_runtime *rt, const char *network, const char *container,
                                     const json_t *opts, cpod_error_t *err);
CPOD_PUBLIC int cpod_network_disconnect(struct cpod_runtime *rt, const char *network, const char *container,
                                        cpod_error_t *err);

/*
 * network reload: set the firewall rules (and interfaces) of a running container up again, with
 * the addresses it has; for after a firewall reload flushed them.  *ret_id: its full ID.
 */
CPOD_PUBLIC int cpod_network_reload(struct cpod_runtime *rt, const char *container, char ret_id[65], cpod_error_t *err);

/*
 * For the detached reaper cpod starts when the last container leaves a network (`cpod network
 * reap`, hidden): once the network has been idle for `after` seconds, the namespace that kept it
 * up is taken down.
 */
CPOD_PUBLIC int cpod_network_reap(struct cpod_runtime *rt, const char *network, const char *anchor_id, int after,
                                  cpod_error_t *err);

#endif
