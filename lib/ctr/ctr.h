/* SPDX-License-Identifier: Apache-2.0 */
/* Container records and paths, shared by the lib/ctr files. */
#ifndef CPOD_CTR_CTR_H
#define CPOD_CTR_CTR_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include <cpod/container.h>

#include "ctr/ctr-config.h"

struct ctr {
        char id[65];
        char *name;
        char *pod_id;
        char *image_id;
        char *image_name;
        char *layer_id;
        int64_t created; /* ns */
        char *command;   /* for listings */
        json_t *labels;
        struct ctr_config cfg;
        enum cpod_ctr_state state;
        int pid;
        int conmon_pid;
        int64_t conmon_start; /* /proc/<pid>/stat start time, against PID reuse */
        int exit_code;
        int64_t started_at, finished_at; /* ns */
        bool oom_killed;
        int restart_count;
        bool stopped_by_user;
        char *boot_id;
        char *mountpoint;
        /* Not stored: the terminal size of the client starting it attached (spec consoleSize), 0 if none. */
        unsigned short console_rows, console_cols;
};

void ctr_clear(struct ctr *c);

/* Record a container event ("create", "start", ...; ctr-events.c); with an exit code for "died", "exec_died". */
void ctr_event(struct cpod_runtime *rt, const struct ctr *c, const char *status);
void ctr_event_code(struct cpod_runtime *rt, const struct ctr *c, const char *status, int exit_code);

/* --mount type=image (image-mounts.c): mount the image of the parsed entry m and make it a bind (ro) or overlay (rw).
 */
int ctr_image_mount(struct cpod_runtime *rt, const struct ctr *c, json_t *m, unsigned idx, cpod_error_t *err);
void ctr_image_mounts_release(struct cpod_runtime *rt, const char *id);
/* The container stops using its rootfs: unmount its layer and the images mounted into it. */
void ctr_release_rootfs(struct cpod_runtime *rt, struct ctr *c, bool force);

/* A create in flight (create-intent.c): hold a marker for layer_id until the record is committed. */
int create_intent_begin(struct cpod_runtime *rt, const char layer_id[65], cpod_error_t *err);
void create_intent_end(struct cpod_runtime *rt, const char *layer_id, int fd);
/* Remove the layers of creates that were killed before their record was committed. */
void ctr_gc_interrupted_creates(struct cpod_runtime *rt);

/* The container's cgroup, in every hierarchy, when empty (ctr-cgroup.c; cgroupfs manager). */
void ctr_cgroup_remove(struct cpod_runtime *rt, const struct ctr *c);
/* Empty cgroups under cpod's parents of containers that are gone or not running. */
void ctr_cgroup_gc(struct cpod_runtime *rt);

/*
 * Create a container from a config parsed by ctr_config_parse (and, for a pod member, resolved by
 * lib/pod): checks it, then makes the read-write layer and the record.  The config is moved into
 * the record (cfg is left cleared, or as it was when the checks fail: clear it either way).
 */
int ctr_create(struct cpod_runtime *rt, struct ctr_config *cfg, char ret_id[65], cpod_error_t *err);

/* Volumes (ctr-volumes.c).  Does -v SPEC name a volume (NAME:/DST) or make an anonymous one (/DST)? */
bool ctr_volume_spec_named(const char *spec);
/* At create: -v, --mount type=volume, --volumes-from and the image's VOLUMEs into cfg->named_volumes. */
int ctr_volumes_plan(struct cpod_runtime *rt, struct ctr_config *cfg, const json_t *imgcfg, cpod_error_t *err);
/* Make the planned volumes (under vol_lock); *made: the new ones, for ctr_volumes_unmake on failure. */
int ctr_volumes_make(struct cpod_runtime *rt, struct ctr_config *cfg, char ***made, cpod_error_t *err);
void ctr_volumes_unmake(struct cpod_runtime *rt, char **made);
/* After c's record is deleted: its anonymous volumes no other container uses (rm -v, --rm). */
void ctr_volumes_remove_anonymous(struct cpod_runtime *rt, const struct ctr *c);
/* Is it a pod's infra container? */
bool ctr_is_infra(const struct ctr *c);

int ctr_db_get(struct cpod_runtime *rt, const char *id, struct ctr *ret, cpod_error_t *err);
int ctr_db_insert(struct cpod_runtime *rt, const struct ctr *c, cpod_error_t *err);
/* Write the config (network connect and disconnect change it). */
int ctr_db_save_config(struct cpod_runtime *rt, const struct ctr *c, cpod_error_t *err);
/* Write the mutable state columns. */
int ctr_db_save_state(struct cpod_runtime *rt, const struct ctr *c, cpod_error_t *err);
int ctr_db_delete(struct cpod_runtime *rt, const char *id, cpod_error_t *err);
/* All containers, newest first; cfg holds only effective_command, rm, is_infra, port_mappings and networks. */
int ctr_db_list(struct cpod_runtime *rt, struct ctr **ret, size_t *ret_n, cpod_error_t *err);
void ctrs_free(struct ctr *v, size_t n);
bool ctr_db_name_taken(struct cpod_runtime *rt, const char *name);
/* IDs of the containers recorded as members of pod_id, oldest first (NULL-terminated, caller frees). */
int ctr_db_ids_in_pod(struct cpod_runtime *rt, const char *pod_id, char ***ret, cpod_error_t *err);

/* Paths (caller frees). */
char *ctr_bundle_dir(struct cpod_runtime *rt, const char *id); /* <runroot>/containers/<id>/userdata */
char *ctr_run_dir(struct cpod_runtime *rt, const char *id);    /* <runroot>/containers/<id> */
char *ctr_data_dir(struct cpod_runtime *rt, const char *id);   /* <root>/containers/<id> */
char *ctr_exit_file(struct cpod_runtime *rt, const char *id);  /* <runroot>/exits/<id> */
char *ctr_log_file(struct cpod_runtime *rt, const struct ctr *c);
/* "k8s-file" or "none": the container's --log-driver, else containers.conf's. */
const char *ctr_log_driver(struct cpod_runtime *rt, const struct ctr *c);
/* --log-opt max-size in bytes, else containers.conf's log_size_max; <= 0 is no limit. */
int64_t ctr_log_size_max(struct cpod_runtime *rt, const struct ctr *c);
/* Check the log driver, path and size limit of a new container's config. */
int ctr_log_check(const struct ctr_config *cfg, cpod_error_t *err);

/* Take the container's lock and load it, reconciling stale state. Returns the lock fd. */
int ctr_lock_load(struct cpod_runtime *rt, const char *id, struct ctr *ret, cpod_error_t *err);
/*
 * Bring a loaded record up to date with reality: conmon gone or a reboot
 * since it ran means the container is no longer running; the exit file
 * tells how it ended.  Writes the record when it changed.  Caller holds the lock.
 */
int ctr_reconcile(struct cpod_runtime *rt, struct ctr *c, cpod_error_t *err);
/* Same for listings, without the lock and without writing (reports what a locked reconcile would). */
void ctr_reconcile_view(struct cpod_runtime *rt, struct ctr *c);

/*
 * A foreground client holds a shared flock on <run dir>/attached.lock while it
 * relays: the exit command and reconciles then leave a --rm container for it
 * to remove, so it can still read the exit code.
 */
int ctr_take_lease(struct cpod_runtime *rt, const char *id);
bool ctr_lease_held(struct cpod_runtime *rt, const char *id);

/* cpod_ctr_list's entries, with PodName empty: pods are a layer above (lib/engine fills it in). */
int ctr_list(struct cpod_runtime *rt, bool all, json_t **ret, cpod_error_t *err);

/* IDs of the container's live exec sessions (drops stale session records). */
json_t *ctr_exec_ids(struct cpod_runtime *rt, const char *id);

/* Process start time from /proc/<pid>/stat (0 if gone). */
int64_t proc_start_time(int pid);
bool process_alive(int pid, int64_t start_time);

#endif
