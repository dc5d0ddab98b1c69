/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a container needs to know about its pod: the pod's record is data
 * in the engine DB (the pods table); lib/pod owns its lifecycle.  A member
 * joins the namespaces of the pod's infra container, started first.
 */
#ifndef CPOD_CTR_POD_LINK_H
#define CPOD_CTR_POD_LINK_H

#include <jansson.h>
#include <stdbool.h>

#include <cpod/error.h>

struct cpod_runtime;
struct ctr;

struct pod_link {
        char id[65];
        char *name;
        char *infra_id; /* NULL without infra */
        json_t *config; /* Share[], Hostname, ExitPolicy, CgroupParent, ... */
};

int pod_link_load(struct cpod_runtime *rt, const char *pod_id, struct pod_link *ret, cpod_error_t *err);
void pod_link_clear(struct pod_link *p);
/* Does the pod share namespace `ns` ("net", "ipc", "uts", "pid", "cgroup")? */
bool pod_link_shares(const struct pod_link *p, const char *ns);

/*
 * For a member about to be created in the runtime: start the infra if
 * needed and put the join information (infra PID, shared namespaces,
 * cgroup parent, hostname) into c->config under "_Join" for spec
 * generation.  Infra containers only get their cgroup parent.
 */
int pod_link_prepare(struct cpod_runtime *rt, struct ctr *c, cpod_error_t *err);
/* After a member exited: with exit policy "stop", stop the pod's infra when no other member runs. */
void pod_link_member_exited(struct cpod_runtime *rt, const struct ctr *c);

/* The cgroup parent of the pod's containers (cgroupfs path or systemd slice); caller frees. */
char *pod_cgroup_parent(struct cpod_runtime *rt, const char *pod_id);

/*
 * Make sure container id runs, starting it when it is created or stopped
 * (it takes that container's lock: the caller must not hold it); *ret_pid
 * gets its PID.
 */
int ctr_ensure_running(struct cpod_runtime *rt, const char *id, int *ret_pid, cpod_error_t *err);

#endif
