/* SPDX-License-Identifier: Apache-2.0 */
/* --pid/--ipc/--uts/--network modes: host, ns:PATH, container:NAME (ns-modes.c). */
#ifndef CPOD_CTR_NS_MODES_H
#define CPOD_CTR_NS_MODES_H

#include <jansson.h>

#include <cpod/error.h>

struct cpod_runtime;
struct ctr;
struct ctr_config;
struct spec_joins;

/* At create: containers.conf's defaults, checked modes, container:NAME turned into container:ID. */
int ns_modes_check(struct cpod_runtime *rt, struct ctr_config *cfg, cpod_error_t *err);
/* At start: the namespace files to join; a container a mode names is started if need be. */
int ns_modes_prepare(struct cpod_runtime *rt, const struct ctr *c, struct spec_joins *ret, cpod_error_t *err);
/*
 * Make sure container id runs, starting it when it is created or stopped (it takes that
 * container's lock: the caller must not hold it); *ret_pid gets its PID.
 */
int ctr_ensure_running(struct cpod_runtime *rt, const char *id, int *ret_pid, cpod_error_t *err);
/* IDs of the containers that join a namespace of container id (NULL-terminated). */
int ns_dependents(struct cpod_runtime *rt, const char *id, char ***ret, cpod_error_t *err);

/* With --uts host or container:NAME, the name of the UTS namespace joined (else NULL); caller frees. */
char *ns_modes_hostname(struct cpod_runtime *rt, const struct ctr *c);

#endif
