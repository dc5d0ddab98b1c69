/* SPDX-License-Identifier: Apache-2.0 */
/* The Runtime handle's insides, shared by lib/ modules (not public). */
#ifndef CPOD_RUNTIME_INTERNAL_H
#define CPOD_RUNTIME_INTERNAL_H

#include <cpod/config.h>
#include <cpod/runtime.h>

enum rt_module {
        RT_MOD_STORAGE,
        RT_MOD_DB,
        RT_MOD_MAX,
};

struct cpod_runtime {
        int refs;
        struct cpod_config *config;
        char *root;           /* persistent state: cpod.db, storage/, containers/, volumes/ */
        char *runroot;        /* volatile state: locks, bundles, exits */
        char *oci_root;       /* <runroot>/runtime: the OCI runtime's --root */
        char *exe;            /* this program, for conmon's exit command */
        char *storage_driver; /* a name lib/storage knows (storage/driver.h) */
        char **storage_opts;
        char *tmpdir;
        char *cgroup_manager; /* effective: "cgroupfs" or "systemd" */
        char *network_backend;
        char *network_config_dir; /* NULL: <root>/networks */
        char *events_backend;     /* "file", "none" or "journald" (written to the file, with a warning) */
        bool events_warned;
        char **runtime_flags;   /* "--flag[=value]", given to every OCI runtime call */
        char **hooks_dirs;      /* OCI hooks directories, lowest precedence first */
        char *signature_policy; /* --signature-policy: policy.json to use instead of the default chain */
        enum cpod_cgroup_mode cgroup_mode;
        /* Resolved on first use. */
        char *requested_runtime; /* --runtime, or NULL */
        char *requested_conmon;
        struct cpod_oci_runtime oci;
        char *oci_name, *oci_path, *oci_why;
        char *conmon_path;
        /* Warnings for the caller (cpod_runtime_set_warning_handler). */
        char **warnings;
        cpod_warning_handler_t warn_handler;
        void *warn_userdata;
        /* Per-module state, opened lazily; each module owns its slot and says how to free it. */
        struct {
                void *p;
                void (*free)(void *p);
        } mod[RT_MOD_MAX];
};

/*
 * The caller is about to wait (for the runtime to start a container): fold long WALs of the
 * open databases back now, rather than in the foreground of a later commit (util/db.h).
 */
void rt_checkpoint_idle(struct cpod_runtime *rt);

/* Close the store and the DB; the next use opens them again (after system reset removed them). */
void rt_close_modules(struct cpod_runtime *rt);

/* Where a pod's containers live in the cgroup tree, for this handle's manager; caller frees. */
char *rt_pod_cgroup_parent(const struct cpod_runtime *rt, const char *pod_id);

/* Hand the caller a warning (see cpod_runtime_set_warning_handler). */
void rt_warn(struct cpod_runtime *rt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct store;
/* The handle's store (lib/storage), opened on first use; owned by the handle. */
int rt_store(struct cpod_runtime *rt, struct store **ret, cpod_error_t *err);

/* Host facts (lib/runtime/host.c). */
enum cpod_cgroup_mode host_cgroup_mode(void);
bool host_has_systemd(void);
/* Current boot ID (/proc/sys/kernel/random/boot_id); caller frees; NULL if unknown. */
char *host_boot_id(void);

#endif
