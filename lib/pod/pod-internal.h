/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CPOD_POD_INTERNAL_H
#define CPOD_POD_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>

#include <cpod/error.h>

struct cpod_runtime;
struct ctr_config;

/* A pod's record: lib/pod owns the pods table. */
struct pod_rec {
        char id[65];
        char *name;
        char *infra_id; /* NULL without infra */
        json_t *config; /* Share[], Hostname, ExitPolicy, CgroupParent, ... */
};

int pod_rec_load(struct cpod_runtime *rt, const char *pod_id, struct pod_rec *ret, cpod_error_t *err);
void pod_rec_clear(struct pod_rec *p);
/* Does the pod share namespace `ns` ("net", "ipc", "uts", "pid", "cgroup")? */
bool pod_rec_shares(const struct pod_rec *p, const char *ns);
/* Does a pod config (its create parameters) ask for a user namespace? */
bool pod_has_userns(const json_t *config);
/* The cgroup parent of the pod's containers (cgroupfs path or systemd slice); caller frees. */
char *pod_cgroup_parent(struct cpod_runtime *rt, const char *pod_id);

/*
 * A new member of pod cfg->pod (a name or ID; it becomes the ID): it joins the namespaces the pod
 * shares (container:INFRA modes, which it must not set itself), lives under the pod's cgroup, and
 * takes the pod's hostname, DNS settings (when it shares the network) and exit policy.
 */
int pod_member_resolve(struct cpod_runtime *rt, struct ctr_config *cfg, cpod_error_t *err);

/* IDs of every pod, newest first (NULL-terminated, caller frees). */
int pod_all_ids(struct cpod_runtime *rt, char ***ret, cpod_error_t *err);
/* {pod ID: pod name} of every pod; caller owns it. */
json_t *pod_names_by_id(struct cpod_runtime *rt, cpod_error_t *err);
/* A free adjective_noun name for a pod. Caller frees. */
char *pod_generate_name(struct cpod_runtime *rt, const char *id);
/* Create the pod's cgroup parent with its limits (Cpus, Memory); no-op without limits. */
int pod_cgroup_setup(struct cpod_runtime *rt, const char *pod_id, json_t *params, cpod_error_t *err);
void pod_cgroup_remove(struct cpod_runtime *rt, const char *pod_id, json_t *params);

#endif
