/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The containers.conf keys podman 4.3.1 knows (containers-common v0.50,
 * containers.conf(5)).  A file that sets one of them which cpod does not
 * apply draws a warning: a default the administrator set (a device list, an
 * AppArmor profile, an SELinux label) must not look honoured when it is not.
 * Keys podman does not know either are left alone, as podman leaves them.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "runtime/config-known.h"

static const char *const containers_keys[] = {
        "annotations",
        "apparmor_profile",
        "base_hosts_file",
        "cgroupns",
        "cgroups",
        "default_capabilities",
        "default_sysctls",
        "default_ulimits",
        "devices",
        "dns_options",
        "dns_searches",
        "dns_servers",
        "env",
        "env_host",
        "host_containers_internal_ip",
        "http_proxy",
        "init",
        "init_path",
        "ipcns",
        "keyring",
        "label",
        "log_driver",
        "log_size_max",
        "log_tag",
        "netns",
        "no_hosts",
        "pidns",
        "pids_limit",
        "prepare_volume_on_create",
        "seccomp_profile",
        "shm_size",
        "tz",
        "umask",
        "userns",
        "userns_size",
        "utsns",
        "volumes",
        NULL,
};
static const char *const network_keys[] = {
        "cni_plugin_dirs", "default_network", "default_subnet",     "default_subnet_pools",
        "dns_bind_port",   "network_backend", "network_config_dir", NULL,
};
static const char *const engine_keys[] = {
        "active_service",
        "cgroup_manager",
        "chown_copied_files",
        "compression_format",
        "conmon_env_vars",
        "conmon_path",
        "detach_keys",
        "enable_port_reservation",
        "env",
        "events_logfile_max_size",
        "events_logfile_path",
        "events_logger",
        "exit_command_delay",
        "helper_binaries_dir",
        "hooks_dir",
        "image_copy_tmp_dir",
        "image_default_format",
        "image_default_transport",
        "image_parallel_copies",
        "image_volume_mode",
        "infra_command",
        "infra_image",
        "lock_type",
        "multi_image_archive",
        "namespace",
        "network_cmd_options",
        "network_cmd_path",
        "no_pivot_root",
        "num_locks",
        "pod_exit_policy",
        "pull_policy",
        "remote",
        "runtime",
        "runtime_supports_json",
        "runtime_supports_kvm",
        "runtime_supports_nocgroups",
        "service_timeout",
        "static_dir",
        "stop_timeout",
        "tmp_dir",
        "volume_path",
        /* tables: [engine.runtimes] is applied; the others are warned about when not empty */
        "runtimes",
        "volume_plugins",
        "service_destinations",
        NULL,
};
static const char *const secrets_keys[] = { "driver", "opts", NULL };
static const char *const machine_keys[] = { "cpus", "disk_size", "image", "memory", "user", "volumes", NULL };

static const struct {
        const char *section;
        const char *const *keys;
} tables[] = {
        { "containers", containers_keys }, { "network", network_keys }, { "engine", engine_keys },
        { "secrets", secrets_keys },       { "machine", machine_keys },
};

bool config_podman_knows(const char *section, const char *key)
{
        for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
                if (strcmp(tables[i].section, section) != 0)
                        continue;
                for (const char *const *k = tables[i].keys; *k; k++)
                        if (strcmp(*k, key) == 0)
                                return true;
        }
        return false;
}

const char *config_known_section(size_t i)
{
        return i < sizeof(tables) / sizeof(tables[0]) ? tables[i].section : NULL;
}
