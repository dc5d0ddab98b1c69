/* SPDX-License-Identifier: Apache-2.0 */
/* Every command table, and the root command's list of them. */
#ifndef CPOD_CLI_COMMANDS_H
#define CPOD_CLI_COMMANDS_H

#include "cli/cli.h"

/* cmd-system.c */
extern const struct cli_cmd cmd_version, cmd_info, cmd_help, cmd_completion, cmd_system;

/* cmd-images.c, cmd-image.c, cmd-image-more.c, cmd-image-io.c */
extern const struct cli_cmd cmd_images, cmd_image_list, cmd_image_inspect, cmd_tag, cmd_untag, cmd_rmi, cmd_image_rm,
        cmd_image_exists, cmd_history, cmd_image_mount, cmd_image_umount, cmd_image_tree, cmd_load, cmd_save, cmd_image;

/* cmd-run.c, cmd-ps.c, cmd-container.c, cmd-container-more.c */
extern const struct cli_cmd cmd_create, cmd_run, cmd_ps, cmd_container_list, cmd_stop, cmd_kill, cmd_rm, cmd_restart,
        cmd_init, cmd_pause, cmd_unpause, cmd_cleanup, cmd_container_exists, cmd_start, cmd_wait, cmd_attach, cmd_logs,
        cmd_inspect, cmd_container_inspect, cmd_container_prune, cmd_mount, cmd_umount, cmd_container;

/* cmd-cp.c, cmd-commit.c, cmd-rename.c */
extern const struct cli_cmd cmd_cp, cmd_export, cmd_diff, cmd_container_diff, cmd_image_diff, cmd_commit, cmd_import,
        cmd_image_import, cmd_rename, cmd_port;

/* cmd-system-service.c */
extern const struct cli_cmd cmd_system_service;
/* cmd-system-more.c */
extern const struct cli_cmd cmd_image_prune, cmd_system_df, cmd_system_prune, cmd_system_reset, cmd_system_migrate,
        cmd_system_renumber;

/* cmd-exec.c */
extern const struct cli_cmd cmd_exec, cmd_top;
/* top descriptors given as separate arguments or comma-separated (podman accepts both). */
char **cli_split_descriptors(int argc, char **argv);

/* cmd-pod.c, cmd-pod-ps.c */
extern const struct cli_cmd cmd_pod;
/* Create a pod with default settings (run --pod new:NAME); prints errors, returns an exit code or 0. */
int cli_pod_create(struct cli_ctx *ctx, const char *name, char ret_id[65]);

/* Ask "Are you sure you want to continue? [y/N]" after warning; true on y. */
bool cli_confirm(const char *warning);

struct cpod_prune_report;
/* Print the IDs a prune removed and the errors of what it could not; clears r; 0 or an exit code (cmd-system-more.c).
 */
int cli_print_prune(struct cpod_prune_report *r);

/* cmd-trust.c */
extern const struct cli_cmd cmd_image_trust;

/* cmd-network.c */
extern const struct cli_cmd cmd_network;

/* cmd-events.c */
extern const struct cli_cmd cmd_events;

/* cmd-healthcheck.c */
extern const struct cli_cmd cmd_healthcheck;

/* cmd-volume.c */
extern const struct cli_cmd cmd_volume;

/* cmd-stats.c, cmd-pod-stats.c */
extern const struct cli_cmd cmd_stats, cmd_pod_stats;

/* cmd-update.c */
extern const struct cli_cmd cmd_update;

/* cmd-secret.c */
extern const struct cli_cmd cmd_secret;

/* cmd-kube.c */
extern const struct cli_cmd cmd_generate, cmd_generate_systemd, cmd_kube, cmd_play;

/* cmd-build.c */
extern const struct cli_cmd cmd_build, cmd_buildx;

/* cmd-manifest.c */
extern const struct cli_cmd cmd_manifest, cmd_manifest_add, cmd_manifest_annotate, cmd_manifest_create,
        cmd_manifest_exists, cmd_manifest_inspect, cmd_manifest_push, cmd_manifest_remove, cmd_manifest_rm;

/* cmd-push.c */
extern const struct cli_cmd cmd_push;

/* cmd-registry.c */
extern const struct cli_cmd cmd_pull, cmd_login, cmd_logout, cmd_search;

#define ROOT_COMMANDS                                                                                                  \
        CMD_LIST(&cmd_attach, &cmd_build, &cmd_buildx, &cmd_commit, &cmd_completion, &cmd_container, &cmd_cp,          \
                 &cmd_create, &cmd_diff, &cmd_events, &cmd_exec, &cmd_export, &cmd_generate, &cmd_healthcheck,         \
                 &cmd_help, &cmd_history, &cmd_image, &cmd_images, &cmd_import, &cmd_info, &cmd_init, &cmd_inspect,    \
                 &cmd_kill, &cmd_kube, &cmd_load, &cmd_login, &cmd_logout, &cmd_logs, &cmd_manifest, &cmd_mount,       \
                 &cmd_network, &cmd_pause, &cmd_play, &cmd_pod, &cmd_port, &cmd_ps, &cmd_pull, &cmd_push, &cmd_rename, \
                 &cmd_restart, &cmd_rm, &cmd_rmi, &cmd_run, &cmd_save, &cmd_search, &cmd_secret, &cmd_start,           \
                 &cmd_stats, &cmd_stop, &cmd_system, &cmd_tag, &cmd_top, &cmd_umount, &cmd_unpause, &cmd_untag,        \
                 &cmd_update, &cmd_version, &cmd_volume, &cmd_wait)

#endif
