/* SPDX-License-Identifier: Apache-2.0 */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"

#define G(name, sh, type, field, argname, def, help)                                                                   \
        {                                                                                                              \
                name, sh, type, offsetof(struct global_opts, field), argname, help, def, 0                             \
        }
#define GH(name, sh, type, field, argname, def, help)                                                                  \
        {                                                                                                              \
                name, sh, type, offsetof(struct global_opts, field), argname, help, def, OPT_HIDDEN                    \
        }

/* podman's persistent flags: valid on every command. */
const struct cli_opt cli_global_opts[] = {
        GH("cgroup-manager", 0, OPT_STRING, cgroup_manager, "string", NULL,
           "Cgroup manager to use (\"cgroupfs\"|\"systemd\")"),
        G("config", 0, OPT_STRING, config, "string", NULL,
          "Path to a containers.conf replacing the configuration chain"),
        G("conmon", 0, OPT_STRING, conmon, "string", NULL, "Path of the conmon binary"),
        G("connection", 'c', OPT_STRING, connection, "string", NULL,
          "Connection to use for remote Podman service (cpod has no remote client)"),
        GH("events-backend", 0, OPT_STRING, events_backend, "string", NULL,
           "Events backend to use (\"file\"|\"none\")"),
        G("help", 'h', OPT_BOOL, help, NULL, NULL, "Help for cpod"),
        G("log-level", 0, OPT_STRING, log_level, "string", "warn",
          "Log messages above specified level (trace, debug, info, warn, warning, error, fatal, panic)"),
        G("hooks-dir", 0, OPT_STRARRAY, hooks_dirs, "stringArray", NULL,
          "Set the OCI hooks directory path (may be set multiple times)"),
        GH("identity", 0, OPT_STRING, identity, "string", NULL,
           "path to SSH identity file (cpod has no remote client)"),
        GH("network-backend", 0, OPT_STRING, network_backend, "string", NULL,
           "Network backend to use (\"cni\"|\"netavark\")"),
        G("network-config-dir", 0, OPT_STRING, network_config_dir, "string", NULL,
          "Path of the configuration directory for networks"),
        GH("network-cmd-path", 0, OPT_STRING, network_cmd_path, "string", NULL,
           "Path to the command for configuring the network"),
        G("noout", 0, OPT_BOOL, noout, NULL, NULL, "do not output to stdout"),
        G("remote", 'r', OPT_BOOL, remote, NULL, NULL, "Access remote Podman service (cpod has no remote client)"),
        G("root", 0, OPT_STRING, root, "string", NULL,
          "Path to the root directory in which data, including images, is stored"),
        G("runroot", 0, OPT_STRING, runroot, "string", NULL,
          "Path to the 'run directory' where all state information is stored"),
        G("runtime", 0, OPT_STRING, runtime, "string", NULL,
          "Path to the OCI-compatible binary used to run containers"),
        G("runtime-flag", 0, OPT_STRARRAY, runtime_flags, "stringArray", NULL,
          "add global flags for the container runtime"),
        G("storage-driver", 0, OPT_STRING, storage_driver, "string", NULL,
          "Select which storage driver is used to manage storage of images and containers (overlay, vfs)"),
        G("storage-opt", 0, OPT_STRARRAY, storage_opts, "stringArray", NULL,
          "Used to pass an option to the storage driver"),
        GH("syslog", 0, OPT_BOOL, syslog, NULL, NULL, "Output logging information to syslog as well as the console"),
        G("tmpdir", 0, OPT_STRING, tmpdir, "string", NULL, "Path to the tmp directory for libpod state content"),
        G("url", 0, OPT_STRING, url, "string", NULL, "URL to access Podman service (cpod has no remote client)"),
        G("version", 'v', OPT_BOOL, version, NULL, NULL, "Version for cpod"),
        G("volumepath", 0, OPT_STRING, volumepath, "string", NULL,
          "Path to the volume directory in which volume data is stored"),
        OPT_END,
};

const struct cli_cmd cli_root = {
        .name = "cpod",
        .use = "[options] [command]",
        .summary = "Manage pods, containers and images",
        .description = "Manage pods, containers and images",
        .subcmds = ROOT_COMMANDS,
};

int main(int argc, char **argv)
{
        /* A closed pipe (cpod ps | head) must end us quietly, as it does other tools. */
        signal(SIGPIPE, SIG_DFL);
        return cli_main(argc, argv);
}
