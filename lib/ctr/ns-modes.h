/* SPDX-License-Identifier: Apache-2.0 */
/* --pid/--ipc/--uts/--network modes: host, ns:PATH, container:NAME (ns-modes.c). */
#ifndef CPOD_CTR_NS_MODES_H
#define CPOD_CTR_NS_MODES_H

#include <jansson.h>

#include <cpod/error.h>

struct cpod_runtime;
struct ctr;

/* At create: check the modes and turn container:NAME into container:ID (params is changed). */
int ns_modes_check(struct cpod_runtime *rt, json_t *params, cpod_error_t *err);
/* At start: c->config's _Ns gets the namespace files to join; a container named is started if need be. */
int ns_modes_prepare(struct cpod_runtime *rt, struct ctr *c, cpod_error_t *err);
/* IDs of the containers that join a namespace of container id (NULL-terminated). */
int ns_dependents(struct cpod_runtime *rt, const char *id, char ***ret, cpod_error_t *err);

/* With --uts host or container:NAME, the name of the UTS namespace joined (else NULL); caller frees. */
char *ns_modes_hostname(struct cpod_runtime *rt, const struct ctr *c);

#endif
