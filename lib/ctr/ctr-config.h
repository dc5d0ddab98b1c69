/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A container's configuration, typed.  JSON stays the public wire contract
 * (cpod_ctr_create's params, what the REST API will accept, like podman's
 * SpecGenerator): it is parsed and checked once, at create, into this
 * struct, which is what every later reader uses, and the record keeps it as
 * JSON in the engine DB (ctr_config_to_json, parsed back with stored=true).
 *
 * The members a client may set are listed in ctr-config.c's table with
 * their wire names.  A member cpod does not know is refused when it asks
 * for something (any value other than null, false, 0, "", [] or {}), so a
 * client sending a whole structure with empty fields keeps working while a
 * setting cpod would silently not honour is an error.  The members cpod
 * resolves at create (the command line that runs, a pod member's joins)
 * are stored too but refused from a client.
 */
#ifndef CPOD_CTR_CTR_CONFIG_H
#define CPOD_CTR_CTR_CONFIG_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include <cpod/error.h>

struct ctr_config {
        /* What runs, and how. */
        char *image;       /* Image: as the user named it */
        char *name;        /* Name ("" or NULL: generated) */
        char **command;    /* Command: replaces the image's Cmd */
        char **entrypoint; /* Entrypoint: replaces the image's when has_entrypoint ([] = none) */
        bool has_entrypoint;
        char **env;                 /* Env: "K=V", over the image's */
        char **unset_env;           /* UnsetEnv: default variables (cpod's, containers.conf's, the image's) to drop */
        bool unset_env_all;         /* UnsetEnvAll: drop them all */
        char *timezone;             /* Timezone: "local" or a zone of the host's zoneinfo, as /etc/localtime */
        int64_t timeout;            /* Timeout: seconds the container may run before it is killed (0: no limit) */
        int64_t preserve_fds;       /* PreserveFds: fds 3..3+N-1 of the starting process passed in */
        char **device_cgroup_rules; /* DeviceCgroupRules: "TYPE MAJOR:MINOR ACCESS" allowed in the device cgroup */
        char **create_command;      /* CreateCommand: the client's command line, for inspect */
        char *working_dir, *user, *hostname;
        bool tty, stdin_open, rm, init, privileged, no_new_privileges, read_only;
        int read_only_tmpfs; /* ReadOnlyTmpfs: -1 unset (true with ReadOnly), 0, 1 */
        char *init_path;
        json_t *labels, *annotations, *sysctls; /* objects of strings, or NULL when none */
        char **cap_add, **cap_drop, **security_opt, **ulimits, **devices, **group_add;
        char **volumes, **mounts, **tmpfs; /* -v, --mount, --tmpfs in their flag syntax */
        char **volumes_from;               /* VolumesFrom: "CTR[:ro|rw]", their volumes and binds */
        char *image_volume_mode; /* ImageVolumeMode: the image's VOLUMEs as bind (anonymous volumes), tmpfs, ignore */
        char *restart_policy;
        char *sdnotify_mode;   /* --sdnotify: container (NULL), conmon or ignore */
        char *sdnotify_socket; /* NOTIFY_SOCKET of the creating command, unless ignore */
        char *stop_signal;     /* a signal number, as text */
        int64_t stop_timeout;
        bool has_stop_timeout;
        /* Namespaces: NULL (private or containers.conf's), host, none, ns:PATH, container:ID. */
        char *network_mode, *pid_mode, *ipc_mode, *uts_mode;
        char *pod; /* Pod: its ID after create */
        char *log_driver, *log_path, *log_tag;
        int64_t log_size_max;
        bool has_log_size_max;
        char *cid_file, *shm_size, *cgroups_path, *conmon_pid_file;
        int64_t pids_limit;
        bool has_pids_limit;
        int64_t oom_score_adj; /* OomScoreAdj: the process's /proc/PID/oom_score_adj, -1000..1000 */
        bool has_oom_score_adj;
        int64_t memory, memory_reservation, memory_swap, cpu_shares, cpu_period, cpu_quota;
        double cpus;
        bool has_cpus;
        char *cpuset_cpus, *cpuset_mems;
        int64_t memory_swappiness; /* MemorySwappiness: memory.swappiness, 0..100 */
        bool has_memory_swappiness;
        bool oom_kill_disable;                 /* OomKillDisable: memory.oom_control */
        int64_t cpu_rt_period, cpu_rt_runtime; /* CpuRtPeriod, CpuRtRuntime: cpu.rt_*_us (v1 only) */
        int64_t blkio_weight;                  /* BlkioWeight: 10..1000 */
        bool has_blkio_weight;
        /* "/dev/PATH:VALUE" as given (--blkio-weight-device, --device-{read,write}-{bps,iops}); the device
         * numbers are looked up when the runtime config is written (spec-blkio.c) */
        char **blkio_weight_device, **device_read_bps, **device_write_bps, **device_read_iops, **device_write_iops;
        char *cgroups_mode;  /* CgroupsMode: enabled (NULL), disabled, no-conmon, split */
        json_t *cgroup_conf; /* CgroupConf: cgroup v2 files to write, KEY -> VALUE (linux.resources.unified) */
        /* User namespace (userns.c): UsernsMode host (NULL, ""), private, auto[:size=N,uidmapping=,gidmapping=],
         * ns:PATH, container:ID; UIDMap/GIDMap "C:H:S" (--uidmap/--gidmap); SubUIDName/SubGIDName */
        char *userns_mode, *subuid_name, *subgid_name;
        char **uid_map, **gid_map;
        char *cgroupns_mode; /* CgroupnsMode: host, private, ns:PATH, container:ID (a pod member: its infra) */
        char **dns, **dns_search, **dns_option, **add_host;
        int no_hosts; /* NoHosts: -1 unset (containers.conf's), 0, 1 */
        /* NetworkMode "bridge": the networks joined, name -> {static_ips, static_mac, aliases, interface_name}. */
        json_t *networks;
        json_t *port_mappings; /* PortMappings: [{host_ip, container_port, host_port, range, protocol}] */
        char **expose;         /* Expose: "PORT[/PROTO]" (with PublishAll, published too) */
        bool publish_all;      /* PublishAll: -P, the image's and --expose ports on random host ports */
        char **secrets;        /* Secrets: --secret NAME[,type=mount|env,target=,uid=,gid=,mode=] (ctr-secrets.c) */
        /*
         * Healthcheck (health-config.c): Docker's Test (["CMD-SHELL", "..."], ["CMD", ARG...], ["NONE"]), durations
         * in nanoseconds.  At create the image's HEALTHCHECK fills what the client left out, so the record holds
         * the healthcheck that runs.  HealthInterval 0 ("disable"): no timer, `healthcheck run` still works.
         */
        char **health_cmd;
        bool no_healthcheck; /* NoHealthcheck: --no-healthcheck, also the image's */
        int64_t health_interval, health_timeout, health_start_period, health_retries;
        bool has_health_interval, has_health_timeout, has_health_start_period, has_health_retries;
        char *health_on_failure; /* HealthOnFailure: none, kill, restart, stop */

        /* Resolved by cpod at create; stored, never taken from a client. */
        char **effective_command; /* EffectiveCommand: what runs (ctr_config_command) */
        bool is_infra;            /* IsInfra: a pod's infra container */
        bool init_only;           /* InitOnly: the infra's catatonit -P runs alone */
        char *cgroup_parent;      /* CgroupParent: the pod's cgroup (NULL: cpod's default) */
        char *pod_infra;          /* PodInfra: the pod's infra container */
        bool pod_exit_stop;       /* PodExitStop: the pod stops when its last member exits */
        char *pod_hostname;       /* PodHostname: the pod's hostname, for members not sharing UTS */
        /* IDMapUID/IDMapGID: the mappings the container runs with, "C:H:S" (any mode but host) */
        char **idmap_uid, **idmap_gid;
        char *oci_runtime; /* OCIRuntime: the runtime as named when it was created (inspect) */
        /* NamedVolumes: [{Name, Dest, Options: [...], IsAnonymous}]: -v NAME:/DST, anonymous -v /DST,
         * --mount type=volume, the image's VOLUMEs, --volumes-from's volumes (ctr-volumes.c) */
        json_t *named_volumes;
        /* SecretRefs: Secrets resolved, [{Name, ID, Type, Target, UID, GID, Mode}]; never the data. */
        json_t *secret_refs;
};

/*
 * Parse a JSON object into *ret (zeroed first; clear it with ctr_config_clear also after an
 * error).  stored: a record's own JSON, where the resolved members are allowed and members of a
 * newer cpod are skipped.
 */
int ctr_config_parse(const json_t *j, bool stored, struct ctr_config *ret, cpod_error_t *err);
/* The JSON kept in the record: the members that are set, by their wire names. */
json_t *ctr_config_to_json(const struct ctr_config *c);
void ctr_config_clear(struct ctr_config *c);

/*
 * The command line that runs, podman's rules (the one place they live): the entrypoint (the
 * user's when given, else the image's) followed by the user's command, else -- unless the user
 * replaced the entrypoint -- the image's Cmd.  imgcfg is the image config's "config" object (may
 * be NULL).  NULL-terminated; caller frees.
 */
char **ctr_config_command(const struct ctr_config *c, const json_t *imgcfg);

/* Is "K=V" a valid environment entry (a name before the '=')? */
bool ctr_config_env_ok(const char *kv);

#endif
