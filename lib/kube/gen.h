/* SPDX-License-Identifier: Apache-2.0 */
/* kube generate's pieces (gen-ctr.c, gen-pod.c), built on include/cpod/ only. */
#ifndef CPOD_KUBE_GEN_H
#define CPOD_KUBE_GEN_H

#include <jansson.h>

#include <cpod/error.h>
#include <cpod/runtime.h>

struct kube_gen_ctr {
        json_t *container; /* the v1 Container */
        json_t *volumes;   /* its pod volumes by name: {name: v1 Volume} */
        json_t *config;    /* cpod_ctr_config() of the container */
};

/* The v1 Container of container id (podman 4.3.1's choices; see gen-ctr.c). */
int kube_gen_container(struct cpod_runtime *rt, const char *id, struct kube_gen_ctr *ret, cpod_error_t *err);
void kube_gen_ctr_clear(struct kube_gen_ctr *c);
/* Port mappings (cpod's PortMappings member) as v1 ContainerPorts. */
json_t *kube_gen_ports(const json_t *mappings);
/* podman's removeUnderscores.  Caller frees. */
char *kube_gen_name(const char *s);

/* A v1 Pod of the pod named (its containers but the infra one); *ret_ports: its published ports. */
int kube_gen_pod(struct cpod_runtime *rt, const char *name, json_t **ret, json_t **ret_ports, cpod_error_t *err);
/* A v1 Pod of standalone containers (ids: NULL-terminated). */
int kube_gen_ctrs(struct cpod_runtime *rt, char *const *ids, json_t **ret, cpod_error_t *err);
/* The ObjectMeta podman writes: name, labels {app: name} plus labels, creationTimestamp now. */
json_t *kube_gen_meta(const char *name, const json_t *labels);

#endif
