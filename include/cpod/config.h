/* SPDX-License-Identifier: Apache-2.0 */
/*
 * containers.conf as cpod reads it.  The chain is
 *   /usr/share/containers/containers.conf
 *   /etc/containers/containers.conf
 *   /etc/containers/containers.conf.d/<*.conf> (lexical order)
 *   $XDG_CONFIG_HOME/containers/containers.conf (~/.config/...) and its .d/
 * with later files overriding earlier ones key by key, unless
 * $CONTAINERS_CONF (or --config) names one file, which then replaces the
 * chain.  Unknown keys are ignored; a malformed file is an error naming
 * the file and line.  All strings are owned by the config.
 */
#ifndef CPOD_CONFIG_H
#define CPOD_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include <cpod/error.h>

struct cpod_config {
        /* [containers] */
        char **default_capabilities;
        char **default_sysctls;
        char **default_ulimits;
        char **env;
        char **volumes;
        char **dns_servers;
        char **dns_searches;
        char **dns_options;
        char **annotations;
        char *init_path;
        char *log_driver;
        int64_t log_size_max;
        char *log_tag;
        int64_t pids_limit;
        char *shm_size;
        char *seccomp_profile;
        char *tz;
        char *umask;
        char *cgroupns;
        char *ipcns;
        char *pidns;
        char *utsns;
        char *netns;
        char *userns;
        bool no_hosts;
        bool init;
        bool env_host;
        bool http_proxy;
        /* [engine] */
        char *cgroup_manager;
        char **conmon_path;
        char *runtime;
        char **runtime_names;  /* [engine.runtimes] names, NULL-terminated ... */
        char ***runtime_paths; /* ... and each one's candidate paths */
        char **hooks_dir;
        char *infra_command;
        char *infra_image;
        char *tmp_dir;
        char *static_dir;
        char *volume_path;
        char *image_volume_mode; /* the image's VOLUMEs: bind (default), tmpfs, ignore */
        char *events_logger;
        char *events_logfile_path;     /* NULL: <runroot>/events/events.log */
        char *events_logfile_max_size; /* "1m" (decimal units); "0": no rotation */
        char *image_default_transport;
        char *pull_policy;
        int64_t stop_timeout;
        char *network_cmd_path;
        char **helper_binaries_dir; /* where netavark and aardvark-dns are looked for first */
        /* [network] */
        char *network_backend;
        char **cni_plugin_dirs;
        char *default_network;
        char *default_subnet;
        char *network_config_dir;
        /* The files read, in order (for `cpod info`). */
        char **files;
        char **warnings; /* "file: [section] key is not supported by cpod yet ...", for each such key set */
};

/*
 * Load the configuration.  override_path (from --config) or $CONTAINERS_CONF
 * replace the chain.  Returns 0 or < 0 with err set.
 */
CPOD_PUBLIC int cpod_config_load(const char *override_path, struct cpod_config **ret, cpod_error_t *err);
CPOD_PUBLIC struct cpod_config *cpod_config_free(struct cpod_config *c);

#endif
