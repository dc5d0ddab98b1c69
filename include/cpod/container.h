/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Containers: durable objects in the engine DB with podman's state machine
 * (configured -> created -> running <-> paused -> stopped/exited -> removing),
 * run by an OCI runtime under conmon.  Every call takes the container's
 * lock; listings read a DB snapshot without locks.
 */
#ifndef CPOD_CONTAINER_H
#define CPOD_CONTAINER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cpod/error.h>
#include <cpod/runtime.h>

enum cpod_ctr_state {
        CPOD_CTR_CONFIGURED = 0,
        CPOD_CTR_CREATED,
        CPOD_CTR_RUNNING,
        CPOD_CTR_STOPPED,
        CPOD_CTR_PAUSED,
        CPOD_CTR_EXITED,
        CPOD_CTR_REMOVING,
        CPOD_CTR_STOPPING,
        CPOD_CTR_UNKNOWN,
};
/* podman's lower-case names: "created", "running", "exited", ... */
CPOD_PUBLIC const char *cpod_ctr_state_name(enum cpod_ctr_state s);

/*
 * Create a container.  params is the wire contract shared by the CLI and the
 * REST API (like podman's SpecGenerator), a JSON object whose members are
 * listed, with their types, in lib/ctr/ctr-config.c: Image (required), Name,
 * Command[], Entrypoint[] (null: the image's; []: none), Env[] ("K=V"),
 * WorkingDir, User, Hostname, Labels{}, Annotations{}, Sysctls{}, Tty, Stdin,
 * Rm, Init, InitPath, Privileged, NoNewPrivileges, ReadOnly, ReadOnlyTmpfs,
 * CapAdd[], CapDrop[], SecurityOpt[], Ulimits[], Devices[], GroupAdd[],
 * Volumes[], Mounts[], Tmpfs[], Secrets[] (the flags' syntax), RestartPolicy,
 * StopSignal, StopTimeout, NetworkMode, PidMode, IpcMode, UtsMode, Pod,
 * LogDriver, LogPath, LogTag, LogSizeMax, CidFile, ShmSize, CgroupsPath,
 * ConmonPidFile, PidsLimit, Memory, MemoryReservation, MemorySwap, CpuShares,
 * CpuPeriod, CpuQuota, Cpus, CpusetCpus, CpusetMems, Dns[], DnsSearch[],
 * DnsOption[], AddHost[], NoHosts.  It is parsed and checked once, with
 * podman's errors; a member cpod does not know is an error unless it is
 * empty (null, false, 0, "", [], {}).
 */
CPOD_PUBLIC int cpod_ctr_create(struct cpod_runtime *rt, const json_t *params, char ret_id[65], cpod_error_t *err);

/* Resolve a name, full ID or unique ID prefix. Kind CPOD_E_NO_SUCH_CTR: "no such container". */
CPOD_PUBLIC int cpod_ctr_lookup(struct cpod_runtime *rt, const char *name_or_id, char ret_id[65], cpod_error_t *err);

struct cpod_attach_streams {
        int in, out, err; /* fds to relay; -1 for none */
        bool tty;
        const char *detach_keys; /* NULL: "ctrl-p,ctrl-q" */
        bool sig_proxy;
        /*
         * cpod_ctr_attach only: relay in alone (out and err -1) and return, as detached, once it
         * reached its end or the container's streams closed, without waiting for the exit (the
         * REST API's attach, which follows the output through the log).
         */
        bool stdin_only;
};

/* Start a created or stopped container (detached).  Returns 1 when it is already running. */
CPOD_PUBLIC int cpod_ctr_start(struct cpod_runtime *rt, const char *id, cpod_error_t *err);
/*
 * Start with the streams attached and wait: returns 0 with *ret_exit the
 * container's exit code, or < 0.  *ret_detached is set when the user
 * detached (detach keys) instead of the container exiting.
 */
CPOD_PUBLIC int cpod_ctr_start_attached(struct cpod_runtime *rt, const char *id, const struct cpod_attach_streams *s,
                                        int *ret_exit, bool *ret_detached, cpod_error_t *err);
/* Attach to a running container (attach command). */
CPOD_PUBLIC int cpod_ctr_attach(struct cpod_runtime *rt, const char *id, const struct cpod_attach_streams *s,
                                int *ret_exit, bool *ret_detached, cpod_error_t *err);

/* Set the terminal size of a running container created with a tty (through conmon). */
CPOD_PUBLIC int cpod_ctr_resize(struct cpod_runtime *rt, const char *id, int rows, int cols, cpod_error_t *err);

struct cpod_exec_opts {
        char *const *argv;   /* the command */
        char *const *env;    /* "K=V" additions */
        const char *user;    /* NULL: the container's */
        const char *workdir; /* NULL: the container's */
        bool tty, detach, privileged;
        int preserve_fds; /* pass fds 3 .. 3+N-1 */
        /*
         * Attached execs (the REST API's exec sessions): called on the calling thread once the
         * process runs, with its host PID and, with a tty, the pty's master (borrowed for the call:
         * dup it to resize the terminal later; -1 without a tty).  NULL: not wanted.
         */
        void (*on_start)(void *ud, int pid, int pty_master);
        void *on_start_ud;
};
/*
 * Run a process in a running container.  Attached: returns its exit code in
 * *ret_exit (126/127 kinds when it can't run).  Detached: *ret_session gets
 * the exec session ID.
 */
CPOD_PUBLIC int cpod_ctr_exec(struct cpod_runtime *rt, const char *name, const struct cpod_exec_opts *o,
                              const struct cpod_attach_streams *s, int *ret_exit, char ret_session[65],
                              cpod_error_t *err);

/*
 * Run the container's healthcheck once, as podman's `healthcheck run`: *ret_healthy says whether the
 * command succeeded; State.Health (status, failing streak, last 5 runs) is updated, a health_status
 * event written, and the --health-on-failure action taken when the container turned unhealthy.
 * Errors: not running, no healthcheck defined, the command exceeded its timeout.
 */
CPOD_PUBLIC int cpod_ctr_healthcheck_run(struct cpod_runtime *rt, const char *name, bool *ret_healthy,
                                         cpod_error_t *err);
/*
 * The healthcheck timer that a start runs as `cpod healthcheck timer ID` (not for users): runs the
 * check every interval until the container's process or its monitor exits.
 */
CPOD_PUBLIC int cpod_ctr_healthcheck_timer(struct cpod_runtime *rt, const char *id, cpod_error_t *err);

/*
 * Processes of a running container: rows of strings, the first the headers,
 * for podman's descriptors (user, pid, ppid, pcpu, etime, tty, time, args,
 * comm, group, nice, vsz, rss, state, hpid, huser, hgroup, ruser, rgroup).
 */
CPOD_PUBLIC int cpod_ctr_top(struct cpod_runtime *rt, const char *name, char *const *descriptors, json_t **ret,
                             cpod_error_t *err);
/* Does cpod_ctr_top know all these descriptors?  (Else podman runs ps(1) in the container.) */
CPOD_PUBLIC bool cpod_ctr_top_descriptors_known(char *const *descriptors);

/* Stop: stop signal, then SIGKILL after timeout seconds (-1: the container's StopTimeout). */
CPOD_PUBLIC int cpod_ctr_stop(struct cpod_runtime *rt, const char *id, int timeout, cpod_error_t *err);
/*
 * Stop several at once: every container gets its stop signal first, then each is waited for until
 * its own timeout from then, and killed if it still runs.  rets[i] and errs[i] (arrays of the ids'
 * length, errs initialised) say how each went; returns 0 or the last failure.
 */
CPOD_PUBLIC int cpod_ctr_stop_many(struct cpod_runtime *rt, char *const *ids, int timeout, int *rets,
                                   cpod_error_t *errs);
CPOD_PUBLIC int cpod_ctr_kill(struct cpod_runtime *rt, const char *id, int sig, cpod_error_t *err);
CPOD_PUBLIC int cpod_ctr_restart(struct cpod_runtime *rt, const char *id, int timeout, cpod_error_t *err);
CPOD_PUBLIC int cpod_ctr_pause(struct cpod_runtime *rt, const char *id, cpod_error_t *err);
CPOD_PUBLIC int cpod_ctr_unpause(struct cpod_runtime *rt, const char *id, cpod_error_t *err);
/* Create the container in the runtime without starting it (cpod init). */
CPOD_PUBLIC int cpod_ctr_init(struct cpod_runtime *rt, const char *id, cpod_error_t *err);

struct cpod_rm_opts {
        bool force; /* stop a running container first */
        bool volumes;
        int timeout; /* for the stop, -1 = container's */
};
CPOD_PUBLIC int cpod_ctr_remove(struct cpod_runtime *rt, const char *id, const struct cpod_rm_opts *o,
                                cpod_error_t *err);
/* Containers that join a namespace of this one (--pid/--ipc/--uts/--network container:NAME): IDs, NULL-terminated. */
CPOD_PUBLIC int cpod_ctr_dependents(struct cpod_runtime *rt, const char *name, char ***ret, cpod_error_t *err);

/*
 * Wait until the container reaches one of the states in `conditions`
 * (NULL: stopped or exited) and return its exit code.
 */
CPOD_PUBLIC int cpod_ctr_wait(struct cpod_runtime *rt, const char *id, const enum cpod_ctr_state *conditions,
                              size_t n_conditions, int64_t interval_ms, int *ret_exit, cpod_error_t *err);

/*
 * Keep an --rm container after it exits, so that a waiter still reads its exit code: until the
 * returned fd is closed the exit command leaves it; then cpod_ctr_cleanup removes it.  (The REST
 * API's wait takes it, as `cpod run --rm` does.)  Returns the fd, or < 0.
 */
CPOD_PUBLIC int cpod_ctr_hold(struct cpod_runtime *rt, const char *id, cpod_error_t *err);

/* Whether some process (or another fd of this one) holds the container (cpod_ctr_hold). */
CPOD_PUBLIC bool cpod_ctr_held(struct cpod_runtime *rt, const char *id);

/*
 * After the container process exited (conmon's exit command): record the
 * exit code, unmount, tear down, remove with --rm, apply the restart policy.
 */
CPOD_PUBLIC int cpod_ctr_cleanup(struct cpod_runtime *rt, const char *id, bool from_exit_command, cpod_error_t *err);

/*
 * Listing: podman's `ps --format json` objects (Id, Names[], Image,
 * ImageID, Command[], Created, CreatedAt, State, Status, Exited, ExitCode,
 * ExitedAt, StartedAt, Pid, Labels, Mounts, Pod, PodName, Ports, ...).
 */
CPOD_PUBLIC int cpod_ctr_list(struct cpod_runtime *rt, bool all, json_t **ret, cpod_error_t *err);
/* podman's `container inspect` object. */
CPOD_PUBLIC int cpod_ctr_inspect(struct cpod_runtime *rt, const char *id, bool size, json_t **ret, cpod_error_t *err);

/*
 * The container's configuration as cpod_ctr_create took it (the members above), with the members cpod
 * resolved at create (EffectiveCommand, PortMappings, NamedVolumes, IsInfra, PodHostname, ...), plus
 * Id, Name, ImageID, ImageName, PodID and Created (ns).  What kube generate reads: unlike inspect, it
 * does not depend on the container having run.
 */
CPOD_PUBLIC int cpod_ctr_config(struct cpod_runtime *rt, const char *name, json_t **ret, cpod_error_t *err);

/* Bytes in the container's read-write layer, and with its image's layers (ps --size). */
CPOD_PUBLIC int cpod_ctr_size(struct cpod_runtime *rt, const char *name, int64_t *ret_rw, int64_t *ret_rootfs,
                              cpod_error_t *err);

/* Number of containers per image ID: {"<image id>": n}. */
CPOD_PUBLIC int cpod_ctr_count_by_image(struct cpod_runtime *rt, json_t **ret, cpod_error_t *err);
/* IDs of containers using the image. */
CPOD_PUBLIC int cpod_ctr_ids_by_image(struct cpod_runtime *rt, const char *image_id, char ***ret, cpod_error_t *err);

/* Path of the container's k8s-file log, and whether it is still running (for logs -f). */
CPOD_PUBLIC int cpod_ctr_log_path(struct cpod_runtime *rt, const char *id, char **ret_path, cpod_error_t *err);
CPOD_PUBLIC bool cpod_ctr_is_running(struct cpod_runtime *rt, const char *id);

struct cpod_log_line {
        int64_t ts_ns;
        char stream;     /* 'o' stdout, 'e' stderr */
        const char *msg; /* borrowed for the callback, no trailing newline */
        size_t len;
        bool newline; /* the line ended with a newline */
};
struct cpod_logs_opts {
        const char *since, *until; /* podman's time forms, or NULL */
        long tail;                 /* -1: all */
        bool follow;
};
/* Stream a container's log through cb (which returns < 0 to stop). */
CPOD_PUBLIC int cpod_ctr_logs(struct cpod_runtime *rt, const char *name, const struct cpod_logs_opts *o,
                              int (*cb)(void *ud, const struct cpod_log_line *l), void *ud, cpod_error_t *err);

/* Mount / unmount the container's root filesystem (counted). */
CPOD_PUBLIC int cpod_ctr_mount(struct cpod_runtime *rt, const char *id, char **ret_path, cpod_error_t *err);
CPOD_PUBLIC int cpod_ctr_unmount(struct cpod_runtime *rt, const char *id, bool force, cpod_error_t *err);
/* The containers whose root filesystem is mounted: [{"Id", "Names": [name], "Mountpoint"}], newest first. */
CPOD_PUBLIC int cpod_ctr_list_mounted(struct cpod_runtime *rt, json_t **ret, cpod_error_t *err);

/*
 * cp: copy between a container and the host, or between two containers,
 * with podman's rules for trailing "/" and "/.", or stream a tar ("-").
 * Paths inside a container never resolve outside its rootfs (see
 * lib/storage/copier.h); only the rootfs is copied to or from, not the
 * container's volumes or other mounts.
 */
struct cpod_cp_opts {
        const char *src_ctr;  /* container name or ID; NULL: src_path is on the host */
        const char *src_path; /* "-" (host side): a tar read from in_fd */
        const char *dst_ctr;
        const char *dst_path; /* "-" (host side): a tar written to out_fd */
        bool archive;         /* copies into a container get its primary user/group (podman's default) */
        bool overwrite;       /* replace directories by non-directories and vice versa */
        int in_fd, out_fd;
};
CPOD_PUBLIC int cpod_ctr_copy(struct cpod_runtime *rt, const struct cpod_cp_opts *o, cpod_error_t *err);
/*
 * Where a path of the container is, as cp resolves it (symlinks followed inside the container,
 * a running container's mounts included): its stat and its canonical absolute path (caller frees).
 * Kind CPOD_E_NO_SUCH_OBJECT when it does not exist.
 */
CPOD_PUBLIC int cpod_ctr_stat_path(struct cpod_runtime *rt, const char *name, const char *path, struct stat *ret_st,
                                   char **ret_path, cpod_error_t *err);

/*
 * Changes of the container's rootfs against its image, in podman's shape:
 * [{"Path": "/etc", "Kind": 0}] with Kind 0 changed, 1 added, 2 deleted,
 * sorted by path.  Needs the overlay storage driver.
 */
CPOD_PUBLIC int cpod_ctr_diff(struct cpod_runtime *rt, const char *name, json_t **ret, cpod_error_t *err);
/* Write a tar of the container's whole rootfs (mounted for the time of the call) to fd. */
CPOD_PUBLIC int cpod_ctr_export(struct cpod_runtime *rt, const char *name, int fd, cpod_error_t *err);

struct cpod_commit_opts {
        const char *image;   /* name of the new image (short names get localhost/, :latest), or NULL */
        const char *message; /* the config's comment: Docker format only, as podman */
        const char *author;
        char *const *changes; /* Dockerfile instructions (see lib/image/changes.h), NULL-terminated */
        bool pause;           /* freeze a running container while its layer is read */
        bool squash;          /* one layer with the whole rootfs instead of a layer on the image's */
        bool docker;          /* Docker v2s2 manifest and config instead of OCI */
};
/* Make an image of the container's changes on top of its image; ret_id gets the new image ID. */
CPOD_PUBLIC int cpod_ctr_commit(struct cpod_runtime *rt, const char *name, const struct cpod_commit_opts *o,
                                char ret_id[65], cpod_error_t *err);

/* Give the container a new name (podman's rules: [a-zA-Z0-9][a-zA-Z0-9_.-]*, unused); running ones too. */
CPOD_PUBLIC int cpod_ctr_rename(struct cpod_runtime *rt, const char *name, const char *newname, cpod_error_t *err);
/*
 * Published ports as podman's PortMapping list: [{"host_ip", "container_port",
 * "host_port", "range", "protocol"}].  Empty until cpod has networking.
 */
CPOD_PUBLIC int cpod_ctr_port(struct cpod_runtime *rt, const char *name, json_t **ret, cpod_error_t *err);

/*
 * Change the resource limits of a container, running or not: res holds create params members
 * (Memory, MemoryReservation, MemorySwap, Cpus, CpuShares, CpuPeriod, CpuQuota, CpusetCpus,
 * CpusetMems, PidsLimit), checked as at create.  A running container's cgroup is updated by the
 * runtime; the config keeps the values for its next start.
 */
CPOD_PUBLIC int cpod_ctr_update(struct cpod_runtime *rt, const char *name, const json_t *res, cpod_error_t *err);

#endif
