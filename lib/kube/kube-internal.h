/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kube play in two steps: the YAML is turned into a plan (JSON: the params of
 * every volume, secret, pod and container, as include/cpod/ takes them), and
 * every check runs then; only a complete plan is carried out.
 *
 * Plan: {"Images": [{"Image", "Policy"}], "Volumes": [names], "Secrets": [{"Name", "Data"}], "Pods": [{"Name",
 * "Pod": pod params, "Init": [ctr params], "Containers": [ctr params],
 * "HostPaths": [{"Path", "Type"}], "DataVolumes": [{"Name", "Files": {k: v}}]}]}.
 */
#ifndef CPOD_KUBE_INTERNAL_H
#define CPOD_KUBE_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>

#include <cpod/error.h>
#include <cpod/kube.h>
#include <cpod/runtime.h>

struct kube_ctx {
        struct cpod_runtime *rt;
        const struct cpod_kube_play_opts *opts;
        json_t *configmaps; /* name -> {key: string} */
        json_t *secrets;    /* name -> {key: string}, decoded: the YAML's, and those read from the store */
        json_t *images;     /* [{"Image", "Policy": enum cpod_pull_policy}], each pair once */
        size_t n_pods;      /* pods planned so far: the n-th gets the n-th --ip and --mac-address */
};

/* Turn the documents into a plan (see above); ctx's maps are filled from the ConfigMaps and Secrets. */
int kube_plan(struct kube_ctx *ctx, const json_t *docs, json_t **ret, cpod_error_t *err);
/* The plan of one pod: name, its metadata and PodSpec. */
int kube_pod_plan(struct kube_ctx *ctx, const char *name, const json_t *meta, const json_t *spec, json_t **ret,
                  cpod_error_t *err);
/* A pod's volumes by name (see kube_ctr_params' info), adding HostPaths and DataVolumes to the pod's plan. */
int kube_pod_volumes(struct kube_ctx *ctx, const json_t *spec, json_t *plan, json_t **ret, cpod_error_t *err);
/*
 * A container's params.  info: {"Volumes": the pod's volumes by name, each {"Kind": "hostPath" | "emptyDir" |
 * "claim" | "data", "Source"}, "Spec": the PodSpec, "Meta": the pod's metadata}.
 */
int kube_ctr_params(struct kube_ctx *ctx, const char *pod, const json_t *c, const json_t *info, bool init, json_t **ret,
                    cpod_error_t *err);
/*
 * The environment of a container: "K=V" strings appended to env.  info as kube_ctr_params' (with "Pod", the
 * pod's name); variables that get the pod's ID (fieldRef metadata.uid) are listed in p[KUBE_UID_ENV], for
 * play to add once the pod exists.
 */
#define KUBE_UID_ENV "KubePodUIDEnv"
int kube_ctr_env(struct kube_ctx *ctx, const char *ctr, const json_t *c, const json_t *info, json_t *p, json_t *env,
                 cpod_error_t *err);

/* The livenessProbe of container c as p's healthcheck params (HealthCmd, HealthInterval ...); p has its RestartPolicy.
 */
int kube_ctr_probe(struct kube_ctx *ctx, const char *ctr, const json_t *c, json_t *p, cpod_error_t *err);

/* The decoded values of a Secret document (data base64, stringData text), or of a stored object of base64 values. */
int kube_secret_values(const char *name, const json_t *doc, json_t **ret, cpod_error_t *err);
/* The values of Secret name: the YAML's, else the secret store's (see kube-secret.c); *ret NULL when neither has it. */
int kube_secret(struct kube_ctx *ctx, const char *name, const json_t **ret, cpod_error_t *err);

/* Note that container ctr runs image, pulled by policy (imagePullPolicy, or NULL). */
int kube_image_need(struct kube_ctx *ctx, const char *ctr, const char *image, const char *policy, cpod_error_t *err);
/* Build or pull the plan's Images (see kube-image.c). */
int kube_images(struct cpod_runtime *rt, const struct cpod_kube_play_opts *o, const json_t *images, cpod_error_t *err);

/* Stop and remove a pod, its containers and their anonymous volumes (as podman's pod rm). */
int kube_remove_pod(struct cpod_runtime *rt, const char *id, cpod_error_t *err);

/* Warn about each member of obj not named in known (NULL-terminated): "kube: WHERE.KEY is not supported, ignoring". */
void kube_warn_unknown(struct kube_ctx *ctx, const json_t *obj, const char *where, const char *const *known);
/* The most pods one Deployment may ask for: a bound for untrusted input. */
#define KUBE_MAX_REPLICAS 100
/* A Deployment's spec.replicas (1 when unset); an error when not an integer from 0 to KUBE_MAX_REPLICAS. */
int kube_replicas(const json_t *doc, json_int_t *ret, cpod_error_t *err);
/* Kubernetes quantities: "128Mi", "1G", "500m" (milli), "0.5".  Returns false on a bad one. */
bool kube_quantity(const char *s, double *ret);
/* A quantity given as a string or number. */
int kube_quantity_json(const json_t *v, const char *what, double *ret, cpod_error_t *err);

#endif
