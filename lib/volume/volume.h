/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Named volumes: records in the engine DB (table volumes, which only this
 * folder reads), data under the volume path (<root>/volumes or
 * containers.conf's engine.volume_path) as <path>/NAME/_data, behind a
 * driver's operations.  The containers using a volume are in table
 * ctr_volumes, filled by a trigger from their config's NamedVolumes.
 *
 * Removal is crash-safe: the record is first marked as being removed (it
 * is no longer listed nor usable), then the data goes, then the record;
 * a removal cut short is finished by the next volume operation.
 */
#ifndef CPOD_VOLUME_VOLUME_H
#define CPOD_VOLUME_VOLUME_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include <cpod/error.h>

struct cpod_runtime;

struct vol {
        char *name;
        char *driver;
        char *mountpoint; /* <volume path>/NAME/_data */
        int64_t created;  /* unix nanoseconds */
        json_t *labels;   /* object of strings */
        json_t *options;  /* object of strings: the driver's -o */
        bool anonymous;
        int64_t uid, gid; /* from -o o=uid=N,gid=N; -1 when not given */
        bool needs_copy_up, needs_chown;
};

void vol_clear(struct vol *v);

struct vol_driver {
        const char *name;
        /* Check the options (-o) before anything is made. */
        int (*check)(const json_t *options, cpod_error_t *err);
        /* Make the volume's storage at v->mountpoint. */
        int (*create)(struct cpod_runtime *rt, const struct vol *v, cpod_error_t *err);
        /* Make its data reachable at v->mountpoint (a mount for -o type=/device=); idempotent. */
        int (*mount)(struct cpod_runtime *rt, const struct vol *v, cpod_error_t *err);
        int (*unmount)(struct cpod_runtime *rt, const struct vol *v, cpod_error_t *err);
        /* Remove its storage (unmounting first). */
        int (*remove)(struct cpod_runtime *rt, const struct vol *v, cpod_error_t *err);
};

const struct vol_driver *vol_driver_find(const char *name);
extern const struct vol_driver vol_driver_local;

/*
 * The lock that orders volume creation and removal against containers starting to use a volume
 * (their records naming it): returns the fd for obj_unlock.
 */
int vol_lock(struct cpod_runtime *rt, cpod_error_t *err);

/* Podman's rule for names: [a-zA-Z0-9][a-zA-Z0-9_.-]*. */
bool vol_name_ok(const char *name);
/* <volume path>/NAME (caller frees). */
char *vol_dir(struct cpod_runtime *rt, const char *name);

struct vol_create_opts {
        const char *name; /* NULL or "": a random 64-hex name */
        const char *driver;
        const json_t *labels, *options;
        bool anonymous;
        bool ignore_existing; /* an existing volume of that name is returned as it is */
};
/* Create a volume; *ret filled (with the existing one when ignore_existing). *ret_new: made now. */
int vol_create(struct cpod_runtime *rt, const struct vol_create_opts *o, struct vol *ret, bool *ret_new,
               cpod_error_t *err);
/* The same, with vol_lock held by the caller (a flock taken twice in one process waits for itself). */
int vol_create_locked(struct cpod_runtime *rt, const struct vol_create_opts *o, struct vol *ret, bool *ret_new,
                      cpod_error_t *err);

/* Load a ready volume by exact name; CPOD_E_NO_SUCH_VOLUME when there is none. */
int vol_get(struct cpod_runtime *rt, const char *name, struct vol *ret, cpod_error_t *err);
bool vol_exists(struct cpod_runtime *rt, const char *name);
/* The same, also when being removed; no error message. */
int vol_get_any(struct cpod_runtime *rt, const char *name, struct vol *ret);
/* Every ready volume, sorted by name. */
int vol_list(struct cpod_runtime *rt, struct vol **ret, size_t *ret_n, cpod_error_t *err);
void vols_free(struct vol *v, size_t n);
/* Clear needs_copy_up / needs_chown after the first use. */
int vol_set_flags(struct cpod_runtime *rt, const char *name, bool needs_copy_up, bool needs_chown, cpod_error_t *err);

/* Records (vol-rec.c): insert (CPOD_E_EXISTS for a taken name), mark as being removed, delete. */
int vol_insert(struct cpod_runtime *rt, const struct vol *v, cpod_error_t *err);
int vol_mark_removing(struct cpod_runtime *rt, const char *name, cpod_error_t *err);
int vol_delete_rec(struct cpod_runtime *rt, const char *name, cpod_error_t *err);
/* Names of the volumes whose removal was cut short. */
int vol_removing(struct cpod_runtime *rt, char ***ret, cpod_error_t *err);

/* IDs of the containers whose config names the volume (NULL-terminated). */
int vol_users(struct cpod_runtime *rt, const char *name, char ***ret, cpod_error_t *err);
/* Remove a volume no container uses: marked, data removed, record deleted. */
int vol_remove(struct cpod_runtime *rt, const char *name, cpod_error_t *err);
/* Finish removals that were cut short (by a kill); best effort. */
void vol_gc(struct cpod_runtime *rt);

/* Mount / unmount the volume's data (drivers with options); the path stays v->mountpoint. */
int vol_mount(struct cpod_runtime *rt, const struct vol *v, cpod_error_t *err);
int vol_unmount(struct cpod_runtime *rt, const struct vol *v, cpod_error_t *err);

/* podman's inspect object of a volume. */
json_t *vol_to_json(const struct vol *v, long mount_count);

#endif
