/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OCI runtime config generation: the image config, the creation
 * parameters and containers.conf defaults become config.json.  Secure
 * defaults as podman's: default capabilities, seccomp, masked and
 * read-only paths, private /dev, pids limit, rlimits clamped to what the
 * host allows.
 */
#ifndef CPOD_CTR_SPEC_H
#define CPOD_CTR_SPEC_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include <cpod/error.h>

struct cpod_runtime;
struct ctr;
struct ctr_config;

/*
 * The namespace files a container joins at this start (ns_modes_prepare: ns:PATH, or the
 * /proc/PID/ns/... of the container a container:ID mode names); NULL: not joined.
 */
struct spec_joins {
        char *pid, *ipc, *uts, *net, *cgroup, *user;
};
void spec_joins_clear(struct spec_joins *j);

/* Build the runtime config for c whose rootfs is mounted at rootfs; files it binds are written to the bundle. */
int spec_generate(struct cpod_runtime *rt, const struct ctr *c, const struct spec_joins *joins, json_t *image_config,
                  const char *rootfs, json_t **ret, cpod_error_t *err);

/* Pieces (spec-*.c). */
int spec_add_mounts(struct cpod_runtime *rt, const struct ctr *c, const char *bundle, json_t *spec, cpod_error_t *err);
/* Does c use the host's network namespace (--network host)? */
bool spec_host_net(const struct ctr *c);
/* Write the bundle's /etc/hosts, resolv.conf, hostname, .containerenv; binds gets {destination, source} for each. */
int spec_etc_files(struct cpod_runtime *rt, const struct ctr *c, const char *bundle, const char *hostname,
                   json_t *binds, cpod_error_t *err);
/* Validate the DNS and /etc/hosts settings (podman's errors). */
int spec_etc_check(struct cpod_runtime *rt, const struct ctr_config *cfg, cpod_error_t *err);
/* Does the config set any of those? */
bool spec_etc_has_net(const struct ctr_config *cfg);
/* The options of a -v entry (bind: a host directory, which may take O). */
int spec_mount_opts_check(const char *spec, const char *opts, bool bind, cpod_error_t *err);
/* Does a -v, --mount or --tmpfs of cfg mount something at dst? */
bool spec_user_dest_taken(const struct ctr_config *cfg, const char *dst);
/* At start: the named volumes, ready and bound (spec-volumes.c), appended to user. */
int spec_volume_mounts(struct cpod_runtime *rt, const struct ctr *c, json_t *spec, json_t *user, cpod_error_t *err);
/* The named volumes' binds as they stand (not prepared for a start; with their volume's "name"), appended to user. */
void spec_volume_binds(struct cpod_runtime *rt, const struct ctr_config *cfg, json_t *user);
/* chown -R (never following symlinks) to process.user's uid and gid. */
int spec_chown_tree(const char *path, const json_t *user, const struct ctr_config *cfg, cpod_error_t *err);
/* -v, --mount, --tmpfs: syntax and duplicate destinations (at create; they are parsed again at start). */
int spec_mounts_check(struct cpod_runtime *rt, const struct ctr_config *cfg, cpod_error_t *err);
/*
 * The user's -v, --mount and --tmpfs as runtime config mounts, appended to the array user
 * (type=image ones as {destination, type: "image", source: IMAGE}, resolved only at start).
 */
int spec_user_mounts(const struct ctr_config *cfg, json_t *user, cpod_error_t *err);
/* linux.resources: devices, pids, memory, CPU and block IO limits; fails when a throttled device is gone. */
int spec_resources(struct cpod_runtime *rt, const struct ctr_config *cfg, json_t **ret, cpod_error_t *err);
/* Check the memory and CPU limits (podman's errors). */
int spec_resources_check(struct cpod_runtime *rt, const struct ctr_config *cfg, cpod_error_t *err);
/* Block IO limits (spec-blkio.c): how the VALUE of "/dev/PATH:VALUE" reads. */
enum spec_blkio_kind { SPEC_BLKIO_WEIGHT, SPEC_BLKIO_BPS, SPEC_BLKIO_IOPS };
/* "/dev/PATH:VALUE" into the path (caller frees) and the value; podman's errors. */
int spec_blkio_parse(const char *spec, enum spec_blkio_kind kind, char **ret_path, uint64_t *ret_value,
                     cpod_error_t *err);
/* At create and update: values, devices (they must exist), warnings for what the kernel cannot limit. */
int spec_blkio_check(struct cpod_runtime *rt, const struct ctr_config *cfg, cpod_error_t *err);
/* linux.resources.blockIO into resources, the devices looked up now; fails when a device is gone. */
int spec_blkio(struct cpod_runtime *rt, const struct ctr_config *cfg, json_t *resources, cpod_error_t *err);
/* inspect's [{Path, Weight}] or [{Path, Rate}]. */
json_t *spec_blkio_inspect(char *const *list, enum spec_blkio_kind kind);
/*
 * The cgroup options (spec-cgroup.c): --memory-swappiness, --oom-kill-disable, --cpu-rt-*,
 * --cgroup-conf, --cgroups, --sysctl; checked at create (and update), with podman's errors and warnings.
 */
int spec_cgroup_check(struct cpod_runtime *rt, const struct ctr_config *cfg, cpod_error_t *err);
/* Their part of linux.resources: memory.swappiness, memory.disableOOMKiller, cpu.realtime*, unified. */
void spec_cgroup_resources(struct cpod_runtime *rt, const struct ctr_config *cfg, json_t *resources);
/* --sysctl: namespaced keys only, and none of a namespace the container shares with the host. */
int spec_sysctl_check(const struct ctr_config *cfg, cpod_error_t *err);
/* --device: check the specifications (at create), add nodes and cgroup rules to linux (at start). */
int spec_devices_check(const struct ctr_config *cfg, cpod_error_t *err);
int spec_add_devices(const struct ctr_config *cfg, json_t *lx, cpod_error_t *err);
int spec_resolve_user(const char *rootfs, const char *user, json_t *process, char **ret_home, cpod_error_t *err);
/* --group-add: gids or group names of the image's /etc/group, appended to process.user.additionalGids. */
int spec_add_groups(const char *rootfs, char *const *groups, json_t *process, cpod_error_t *err);
/* keep-groups (the caller's supplementary groups) stands alone. */
int spec_groups_check(char *const *groups, cpod_error_t *err);
/* Read a small file inside rootfs, resolving every path component within it (openat2 RESOLVE_IN_ROOT). */
char *spec_read_in_root(const char *rootfs, const char *path);
/*
 * Can the process's command be executed inside rootfs?  Gives podman's 127
 * (not found) and 126 (not executable) errors before the runtime is asked;
 * what is the failing step as runc words it ("runc run failed", ...).
 */
int spec_check_exec(const char *rootfs, json_t *process, const char *what, cpod_error_t *err);
/*
 * A --workdir the user gave must exist in the image (or be a mount's destination): podman's 126
 * errors.  The image's own WorkingDir is created by the runtime when missing.
 */
int spec_check_workdir(const char *rootfs, json_t *spec, const char *id, cpod_error_t *err);
int spec_rlimits(struct cpod_runtime *rt, const struct ctr_config *cfg, json_t *process, cpod_error_t *err);

#endif
