/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CPOD_POD_INTERNAL_H
#define CPOD_POD_INTERNAL_H

#include <jansson.h>

#include <cpod/error.h>

struct cpod_runtime;

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
