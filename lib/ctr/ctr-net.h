/* SPDX-License-Identifier: Apache-2.0 */
/* A container's networks and published ports (ctr-net.c). */
#ifndef CPOD_CTR_CTR_NET_H
#define CPOD_CTR_CTR_NET_H

#include <stdbool.h>

#include <jansson.h>

#include <cpod/error.h>

struct cpod_runtime;
struct ctr;
struct ctr_config;

/* NetworkMode "bridge": the container joins networks (Networks, else the default one). */
bool ctr_net_bridge(const struct ctr_config *cfg);
/* At create: networks resolved and checked, ports checked, -P's added, random host ports picked. */
int ctr_net_check(struct cpod_runtime *rt, struct ctr_config *cfg, const json_t *imgcfg, cpod_error_t *err);
/* At start: the namespace to join (*ret_netns), wired; NULL when the container is not in bridge mode. */
int ctr_net_setup(struct cpod_runtime *rt, const struct ctr *c, char **ret_netns, cpod_error_t *err);
/* When it stops or is removed (nothing when not wired). */
void ctr_net_teardown(struct cpod_runtime *rt, const struct ctr *c);

/* network connect/disconnect: the config changes, and a running container is wired now. Caller holds the lock. */
int ctr_net_connect(struct cpod_runtime *rt, struct ctr *c, const char *network, const json_t *opts, cpod_error_t *err);
int ctr_net_disconnect(struct cpod_runtime *rt, struct ctr *c, const char *network, cpod_error_t *err);

/* What the container got, from netavark's result (all empty when not wired). */
struct ctr_net_info {
        char *ip, *gateway;   /* its first address and that network's gateway */
        char *ip6;            /* its first global IPv6 address */
        char **dns, **search; /* nameservers and search domains of its DNS-enabled networks */
};
void ctr_net_info(struct cpod_runtime *rt, const struct ctr *c, struct ctr_net_info *ret);
void ctr_net_info_clear(struct ctr_net_info *i);
/* inspect's NetworkSettings, and HostConfig.PortBindings. */
json_t *ctr_net_settings(struct cpod_runtime *rt, const struct ctr *c);
json_t *ctr_net_port_bindings(const struct ctr *c);

#endif
