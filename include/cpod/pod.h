/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pods: a record plus an infra container (catatonit in pause mode, bound
 * into an empty root filesystem, so no image is ever needed) that owns
 * the shared namespaces; member containers join them and live under the
 * pod's cgroup parent.
 */
#ifndef CPOD_POD_H
#define CPOD_POD_H

#include <jansson.h>
#include <stdbool.h>

#include <cpod/error.h>
#include <cpod/runtime.h>

/*
 * Creation parameters (JSON): Name, Labels{}, Share[] (namespaces the
 * members share: "net", "ipc", "uts", "pid", "cgroup"; default net, ipc,
 * uts), Hostname, Infra (bool, default true), InfraImage, InfraCommand[],
 * InfraName, InfraConmonPidFile, ExitPolicy ("continue" | "stop"),
 * CgroupParent, Cpus (double), Memory (bytes), Replace (bool).
 */
CPOD_PUBLIC int cpod_pod_create(struct cpod_runtime *rt, json_t *params, char ret_id[65], cpod_error_t *err);
CPOD_PUBLIC int cpod_pod_lookup(struct cpod_runtime *rt, const char *name_or_id, char ret_id[65], cpod_error_t *err);

/* Start the infra container, then every member. */
CPOD_PUBLIC int cpod_pod_start(struct cpod_runtime *rt, const char *name, cpod_error_t *err);
/* Stop members (timeout: -1 for each container's own), then the infra. */
CPOD_PUBLIC int cpod_pod_stop(struct cpod_runtime *rt, const char *name, int timeout, cpod_error_t *err);
CPOD_PUBLIC int cpod_pod_kill(struct cpod_runtime *rt, const char *name, int sig, cpod_error_t *err);
CPOD_PUBLIC int cpod_pod_pause(struct cpod_runtime *rt, const char *name, bool pause, cpod_error_t *err);
/* Remove the pod: with running containers only when force. */
CPOD_PUBLIC int cpod_pod_remove(struct cpod_runtime *rt, const char *name, bool force, int timeout, cpod_error_t *err);

/* `pod ps --format json` entries: Id, Name, Status, Created, InfraId, Labels, Containers[{Id, Names, Status}]... */
CPOD_PUBLIC int cpod_pod_list(struct cpod_runtime *rt, json_t **ret, cpod_error_t *err);
/* `pod inspect` object. */
CPOD_PUBLIC int cpod_pod_inspect(struct cpod_runtime *rt, const char *name, json_t **ret, cpod_error_t *err);
/* IDs of the pod's containers (infra first), NULL-terminated. */
CPOD_PUBLIC int cpod_pod_containers(struct cpod_runtime *rt, const char *pod_id, char ***ret, cpod_error_t *err);

#endif
