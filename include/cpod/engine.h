/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Operations across objects (lib/engine/): the rules that need containers,
 * pods and images together.  The CLI and the API call these and only parse
 * options and render the typed reports.
 */
#ifndef CPOD_ENGINE_H
#define CPOD_ENGINE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cpod/error.h>
#include <cpod/runtime.h>

/* One object a prune removed, or tried to: err holds why it could not (kind CPOD_E_NONE when it went). */
struct cpod_prune_item {
        char id[256]; /* an ID, or a name (networks, volumes) */
        int64_t size; /* bytes it freed, where known (images), else 0 */
        cpod_error_t err;
};
struct cpod_prune_report {
        struct cpod_prune_item *v;
        size_t n;
};
/* Release the items and their errors; the report is empty again.  Accepts NULL. */
CPOD_PUBLIC void cpod_prune_report_clear(struct cpod_prune_report *r);

/*
 * Container filters, podman's keys and semantics (ps --filter, start --filter, the REST API's
 * container list): id, name (unanchored regular expressions), label, exited, status, ancestor,
 * before, since, pod, network, volume, health.  Values of one key are alternatives (any matches)
 * except label (all must match); different keys must all match.  filters are n "KEY=VALUE"
 * strings; *ret is NULL when n is 0 (a NULL filter passes everything).  Errors: kind
 * CPOD_E_INVALID for a bad key or value, the lookup's for before=/since= naming no container.
 */
struct cpod_ctr_filter;
CPOD_PUBLIC int cpod_ctr_filter_new(struct cpod_runtime *rt, const char *const *filters, size_t n,
                                    struct cpod_ctr_filter **ret, cpod_error_t *err);
/* Does a cpod_ctr_list entry pass? */
CPOD_PUBLIC bool cpod_ctr_filter_match(const struct cpod_ctr_filter *f, json_t *ctr);
/* Was this key given? */
CPOD_PUBLIC bool cpod_ctr_filter_has(const struct cpod_ctr_filter *f, const char *key);
CPOD_PUBLIC void cpod_ctr_filter_free(struct cpod_ctr_filter *f);

/*
 * Remove what is not running.  Containers: every created, stopped or exited container that is not
 * in a pod (a pod's containers go with the pod).  Pods: every pod none of whose containers runs or
 * is paused.  Images: dangling ones (no name), or with all every image no container uses.  Each
 * failure is reported in its item; the call fails only when the objects cannot be listed.
 */
CPOD_PUBLIC int cpod_ctr_prune(struct cpod_runtime *rt, struct cpod_prune_report *ret, cpod_error_t *err);
CPOD_PUBLIC int cpod_pod_prune(struct cpod_runtime *rt, struct cpod_prune_report *ret, cpod_error_t *err);
CPOD_PUBLIC int cpod_image_prune(struct cpod_runtime *rt, bool all, struct cpod_prune_report *ret, cpod_error_t *err);

/*
 * system prune: pods, then containers, networks, volumes (with volumes: the unused ones), then images
 * (all: every unused image), as podman orders them.
 */
struct cpod_system_prune_report {
        struct cpod_prune_report pods, containers, images, networks, volumes;
};
/* Remove every network no container uses, except the default one; the items are network names. */
CPOD_PUBLIC int cpod_network_prune(struct cpod_runtime *rt, struct cpod_prune_report *ret, cpod_error_t *err);
CPOD_PUBLIC int cpod_system_prune(struct cpod_runtime *rt, bool all, bool volumes, struct cpod_system_prune_report *ret,
                                  cpod_error_t *err);
CPOD_PUBLIC void cpod_system_prune_report_clear(struct cpod_system_prune_report *r);

/*
 * system reset: remove every pod, container (with its anonymous volumes), volume, image, secret and
 * network (the default network's definition stays), then the root and runroot themselves; the
 * handle opens a fresh store on its next use.  Failures to remove single objects are reported (the
 * first one) after the rest is done.
 */
CPOD_PUBLIC int cpod_system_reset(struct cpod_runtime *rt, cpod_error_t *err);

/* system df: space taken by images, containers and volumes. */
struct cpod_df_image {
        char id[65];
        char **names;                 /* its names ("<none>" rows are the renderer's choice), NULL-terminated */
        int64_t created;              /* unix seconds */
        int64_t size, shared, unique; /* bytes; shared: in layers other images use too */
        long containers;              /* how many containers use it */
};
struct cpod_df_container {
        char id[65];
        char *image_id; /* "" for a pod's infra container */
        char *command, *names, *status;
        int64_t created; /* unix seconds */
        int64_t rw_size; /* bytes in its writable layer */
        long volumes;    /* how many volumes it uses */
};
struct cpod_df_volume {
        char *name;
        long links;   /* how many containers use it */
        int64_t size; /* bytes of its files */
};
struct cpod_df_summary {
        long total, active;
        int64_t size, reclaimable;
};
struct cpod_df_report {
        struct cpod_df_summary images, containers, volumes;
        struct cpod_df_image *imgs;
        size_t n_imgs;
        struct cpod_df_container *ctrs;
        size_t n_ctrs;
        struct cpod_df_volume *vols;
        size_t n_vols;
};
CPOD_PUBLIC int cpod_system_df(struct cpod_runtime *rt, struct cpod_df_report *ret, cpod_error_t *err);
CPOD_PUBLIC void cpod_df_report_clear(struct cpod_df_report *r);

#endif
