/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Runtime handle: configuration (flags over containers.conf over
 * built-in defaults), paths, and the host facts every operation needs.
 * One handle per command invocation (or per API request thread).
 */
#ifndef CPOD_RUNTIME_H
#define CPOD_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>

#include <cpod/error.h>

struct cpod_runtime;
struct cpod_config;

/* Options from the command line; NULL fields take the configured default. */
struct cpod_runtime_opts {
        const char *root;
        const char *runroot;
        const char *storage_driver;
        const char *const *storage_opts;
        const char *runtime;        /* OCI runtime name or path */
        const char *cgroup_manager; /* "cgroupfs" or "systemd" */
        const char *conmon;         /* conmon path */
        const char *config_path;    /* containers.conf replacing the whole chain (like CONTAINERS_CONF) */
        const char *tmpdir;
        const char *network_backend;
        const char *network_config_dir; /* network definitions (default: containers.conf's, else <root>/networks) */
        const char *events_backend;
        const char *const *runtime_flags; /* global flags for the OCI runtime, without the leading "--" */
        const char *volume_path;          /* where named volumes live (default <root>/volumes) */
        const char *const *hooks_dirs;    /* OCI hooks directories, replacing the defaults (NULL: defaults) */
};

enum cpod_cgroup_mode {
        CPOD_CGROUP_V1 = 1,
        CPOD_CGROUP_HYBRID, /* v1 controllers plus a cgroup2 mount at /sys/fs/cgroup/unified */
        CPOD_CGROUP_V2,
};

/* Open a handle.  Cheap: databases and the OCI runtime probe are opened on first use. */
CPOD_PUBLIC int cpod_runtime_open(const struct cpod_runtime_opts *opts, struct cpod_runtime **ret, cpod_error_t *err);
/* Drop the reference; returns NULL.  Accepts NULL. */
CPOD_PUBLIC struct cpod_runtime *cpod_runtime_unref(struct cpod_runtime *rt);

CPOD_PUBLIC const struct cpod_config *cpod_runtime_config(const struct cpod_runtime *rt);
/*
 * The containers-policy.json(5) every later pull and load is checked against, instead of
 * $HOME/.config/containers/policy.json or /etc/containers/policy.json (podman's --signature-policy).
 */
CPOD_PUBLIC void cpod_runtime_set_signature_policy(struct cpod_runtime *rt, const char *path);
CPOD_PUBLIC const char *cpod_runtime_root(const struct cpod_runtime *rt);
CPOD_PUBLIC const char *cpod_runtime_runroot(const struct cpod_runtime *rt);
CPOD_PUBLIC enum cpod_cgroup_mode cpod_runtime_cgroup_mode(const struct cpod_runtime *rt);
/* "cgroupfs" or "systemd", after falling back when systemd is not running. */
CPOD_PUBLIC const char *cpod_runtime_cgroup_manager(const struct cpod_runtime *rt);

/* The OCI runtime chosen for this host (see lib/runtime/oci-detect.c). */
struct cpod_oci_runtime {
        const char *name; /* "runc", "crun", or the configured name */
        const char *path;
        const char *why; /* how it was chosen, for `cpod info` */
};
CPOD_PUBLIC int cpod_runtime_oci(struct cpod_runtime *rt, const struct cpod_oci_runtime **ret, cpod_error_t *err);
/* conmon's path. */
CPOD_PUBLIC int cpod_runtime_conmon(struct cpod_runtime *rt, const char **ret, cpod_error_t *err);

/*
 * Warnings: things the library did differently from what was asked without failing (a limit the
 * kernel cannot apply, a stop signal that needed SIGKILL, ...).  With a handler they are passed on
 * as they happen (the CLI prints them); without one they collect on the handle until taken (the
 * API returns them with the response).  Setting a handler first passes on what collected.
 */
typedef void (*cpod_warning_handler_t)(const char *msg, void *userdata);
CPOD_PUBLIC void cpod_runtime_set_warning_handler(struct cpod_runtime *rt, cpod_warning_handler_t handler,
                                                  void *userdata);
/* The warnings collected since the last call, NULL-terminated (NULL when none); caller frees each and the array. */
CPOD_PUBLIC char **cpod_runtime_take_warnings(struct cpod_runtime *rt);

CPOD_PUBLIC const char *cpod_version(void);

#endif
