/* SPDX-License-Identifier: Apache-2.0 */
/* create and run: flags -> creation parameters (JSON) -> libcpod. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cpod/container.h>
#include <cpod/image.h>

#include "cli/commands.h"
#include "cli/ctr-params.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

#define R(name, sh, type, field, argname, def, help) OPT(name, sh, type, struct run_opts, field, argname, def, help)
#define R_RUN(name, sh, type, field, argname, def, help)                                                               \
        {                                                                                                              \
                name, sh, type, offsetof(struct run_opts, field), argname, help, def, OPT_RUN_ONLY                     \
        }

static const struct cli_opt run_opts[] = {
        R("add-host", 0, OPT_STRSLICE, net.add_host, "strings", NULL, "Add a custom host-to-IP mapping (host:ip)"),
        R_RUN("attach", 'a', OPT_STRARRAY, attach, "stringArray", NULL, "Attach to STDIN, STDOUT or STDERR"),
        R("annotation", 0, OPT_STRARRAY, annotation, "stringArray", NULL, "Add annotations to container (key=value)"),
        R("arch", 0, OPT_STRING, arch, "string", NULL,
          "use ARCH instead of the architecture of the machine for choosing images"),
        R("blkio-weight", 0, OPT_STRING, blkio_weight, "string", NULL,
          "Block IO weight (relative weight) accepts a weight value between 10 and 1000."),
        R("blkio-weight-device", 0, OPT_STRSLICE, blkio_weight_device, "DEVICE_NAME:WEIGHT", NULL,
          "Block IO weight (relative device weight, format: `DEVICE_NAME:WEIGHT`)"),
        R("cap-add", 0, OPT_STRSLICE, cap_add, "strings", NULL, "Add capabilities to the container"),
        R("cap-drop", 0, OPT_STRSLICE, cap_drop, "strings", NULL, "Drop capabilities from the container"),
        R("cgroup-conf", 0, OPT_STRSLICE, cgroup_conf, "strings", NULL, "Configure cgroup v2 (key=value)"),
        R("cgroupns", 0, OPT_STRING, cgroupns, "string", NULL, "cgroup namespace to use"),
        R("cgroups", 0, OPT_STRING, cgroups, "string", "enabled",
          "control container cgroup configuration (\"enabled\"|\"disabled\"|\"no-conmon\"|\"split\")"),
        R("cidfile", 0, OPT_STRING, cidfile, "string", NULL, "Write the container ID to the file"),
        R("conmon-pidfile", 0, OPT_STRING, conmon_pidfile, "string", NULL,
          "Path to the file that will receive the PID of conmon"),
        R("cpu-period", 0, OPT_UINT, cpu_period, "uint", NULL, "Limit the CPU CFS (Completely Fair Scheduler) period"),
        R("cpu-quota", 0, OPT_INT, cpu_quota, "int", NULL, "Limit the CPU CFS (Completely Fair Scheduler) quota"),
        R("cpu-rt-period", 0, OPT_UINT, cpu_rt_period, "uint", NULL, "Limit the CPU real-time period in microseconds"),
        R("cpu-rt-runtime", 0, OPT_INT, cpu_rt_runtime, "int", NULL, "Limit the CPU real-time runtime in microseconds"),
        R("cpu-shares", 'c', OPT_UINT, cpu_shares, "uint", NULL, "CPU shares (relative weight)"),
        R("cpus", 0, OPT_STRING, cpus, "float", NULL, "Number of CPUs. The default is 0.000 which means no limit"),
        R("cpuset-cpus", 0, OPT_STRING, cpuset_cpus, "string", NULL, "CPUs in which to allow execution (0-3, 0,1)"),
        R("cpuset-mems", 0, OPT_STRING, cpuset_mems, "string", NULL,
          "Memory nodes (MEMs) in which to allow execution (0-3, 0,1). Only effective on NUMA systems."),
        R_RUN("detach", 'd', OPT_BOOL, detach, NULL, NULL, "Run container in background and print container ID"),
        R_RUN("detach-keys", 0, OPT_STRING, detach_keys, "string", "ctrl-p,ctrl-q",
              "Override the key sequence for detaching a container. Format is a single character [a-Z] or a comma "
              "separated sequence of `ctrl-<value>`, where `<value>` is one of: `a-cf`, `@`, `^`, `[`, `\\\\`, `]`, "
              "`^` or `_`"),
        R("device", 0, OPT_STRARRAY, device, "stringArray", NULL, "Add a host device to the container"),
        R("device-cgroup-rule", 0, OPT_STRARRAY, device_cgroup_rule, "stringArray", NULL,
          "Add a rule to the cgroup allowed devices list"),
        R("device-read-bps", 0, OPT_STRSLICE, device_read_bps, "strings", NULL,
          "Limit read rate (bytes per second) from a device (e.g. --device-read-bps=/dev/sda:1mb)"),
        R("device-read-iops", 0, OPT_STRSLICE, device_read_iops, "strings", NULL,
          "Limit read rate (IO per second) from a device (e.g. --device-read-iops=/dev/sda:1000)"),
        R("device-write-bps", 0, OPT_STRSLICE, device_write_bps, "strings", NULL,
          "Limit write rate (bytes per second) to a device (e.g. --device-write-bps=/dev/sda:1mb)"),
        R("device-write-iops", 0, OPT_STRSLICE, device_write_iops, "strings", NULL,
          "Limit write rate (IO per second) to a device (e.g. --device-write-iops=/dev/sda:1000)"),
        R("dns", 0, OPT_STRSLICE, net.dns, "strings", NULL, "Set custom DNS servers"),
        R("dns-option", 0, OPT_STRSLICE, net.dns_option, "strings", NULL, "Set custom DNS options"),
        R("dns-search", 0, OPT_STRSLICE, net.dns_search, "strings", NULL, "Set custom DNS search domains"),
        R("entrypoint", 0, OPT_STRING, entrypoint, "string", NULL, "Overwrite the default ENTRYPOINT of the image"),
        R("env", 'e', OPT_STRARRAY, env, "stringArray", NULL, "Set environment variables in container"),
        R("env-file", 0, OPT_STRARRAY, env_file, "stringArray", NULL, "Read in a file of environment variables"),
        R("env-host", 0, OPT_BOOL, env_host, NULL, NULL, "Use all current host environment variables in container"),
        R("gidmap", 0, OPT_STRARRAY, gidmap, "strings", NULL, "GID map to use for the user namespace"),
        R("group-add", 0, OPT_STRSLICE, group_add, "strings", NULL,
          "Add additional groups to the primary container process"),
        R("expose", 0, OPT_STRARRAY, netsel.expose, "strings", NULL, "Expose a port or a range of ports"),
        R("health-cmd", 0, OPT_STRING, health.cmd, "string", NULL,
          "set a healthcheck command for the container ('none' disables the existing healthcheck)"),
        R("health-interval", 0, OPT_STRING, health.interval, "string", "30s",
          "set an interval for the healthchecks (a value of disable results in no automatic timer setup)"),
        R("health-on-failure", 0, OPT_STRING, health.on_failure, "string", "none",
          "action to take once the container turns unhealthy"),
        R("health-retries", 0, OPT_UINT, health.retries, "uint", "3",
          "the number of retries allowed before a healthcheck is considered to be unhealthy"),
        R("health-start-period", 0, OPT_STRING, health.start_period, "string", "0s",
          "the initialization time needed for a container to bootstrap"),
        R("health-timeout", 0, OPT_STRING, health.timeout, "string", "30s",
          "the maximum time allowed to complete the healthcheck before an interval is considered failed"),
        R("hostname", 'h', OPT_STRING, hostname, "string", NULL, "Set container hostname"),
        R("image-volume", 0, OPT_STRING, image_volume, "string", "bind",
          "Tells podman how to handle the builtin image volumes (\"bind\"|\"tmpfs\"|\"ignore\")"),
        R("init", 0, OPT_BOOL, init, NULL, NULL,
          "Run an init binary inside the container that forwards signals and reaps processes"),
        R("init-path", 0, OPT_STRING, init_path, "string", NULL, "Path to the container-init binary"),
        R("interactive", 'i', OPT_BOOL, interactive, NULL, NULL, "Keep STDIN open even if not attached"),
        R("ip", 0, OPT_STRING, netsel.ip, "string", NULL, "Specify a static IPv4 address for the container"),
        R("ip6", 0, OPT_STRING, netsel.ip6, "string", NULL, "Specify a static IPv6 address for the container"),
        R("ipc", 0, OPT_STRING, ipc, "string", NULL, "IPC namespace to use"),
        R("kernel-memory", 0, OPT_STRING, kernel_memory, "<number>[<unit>]", NULL,
          "Kernel memory limit (no longer supported: ignored with a warning)"),
        R("label", 'l', OPT_STRARRAY, label, "stringArray", NULL, "Set metadata on container"),
        R("label-file", 0, OPT_STRARRAY, label_file, "stringArray", NULL, "Read in a line delimited file of labels"),
        R("log-driver", 0, OPT_STRING, log_driver, "string", NULL, "Logging driver for the container"),
        R("log-opt", 0, OPT_STRARRAY, log_opt, "stringArray", NULL, "Logging driver options"),
        R("mac-address", 0, OPT_STRING, netsel.mac_address, "string", NULL,
          "Container MAC address (e.g. 92:d0:c6:0a:29:33)"),
        R("memory", 'm', OPT_STRING, memory, "<number>[<unit>]", NULL,
          "Memory limit (format: <number>[<unit>], where unit = b (bytes), k (kibibytes), m (mebibytes), or g "
          "(gibibytes))"),
        R("memory-reservation", 0, OPT_STRING, memory_reservation, "<number>[<unit>]", NULL,
          "Memory soft limit (format: <number>[<unit>], where unit = b (bytes), k (kibibytes), m (mebibytes), or g "
          "(gibibytes))"),
        R("memory-swap", 0, OPT_STRING, memory_swap, "<number>[<unit>]", NULL,
          "Swap limit equal to memory plus swap: '-1' to enable unlimited swap"),
        R("memory-swappiness", 0, OPT_INT, memory_swappiness, "int", "-1",
          "Tune container memory swappiness (0 to 100, or -1 for system default)"),
        R("mount", 0, OPT_STRARRAY, mount, "stringArray", NULL, "Attach a filesystem mount to the container"),
        R("name", 0, OPT_STRING, name, "string", NULL, "Assign a name to the container"),
        R("network", 0, OPT_STRARRAY, netsel.network, "stringArray", NULL,
          "Connect a container to a network (bridge, NAME[:ip=,mac=,alias=], none, host, private, container:NAME, "
          "ns:PATH)"),
        R("net", 0, OPT_STRARRAY, netsel.network, "stringArray", NULL, "Connect a container to a network"),
        R("network-alias", 0, OPT_STRARRAY, netsel.network_alias, "stringArray", NULL,
          "Add network-scoped alias for the container"),
        R("no-healthcheck", 0, OPT_BOOL, health.none, NULL, NULL, "Disable healthchecks on container"),
        R("no-hosts", 0, OPT_BOOL, net.no_hosts, NULL, NULL, "Do not create /etc/hosts within the container"),
        R("os", 0, OPT_STRING, os, "string", NULL, "use OS instead of the running OS for choosing images"),
        R("pid", 0, OPT_STRING, pid, "string", NULL, "PID namespace to use"),
        R("oom-kill-disable", 0, OPT_BOOL, oom_kill_disable, NULL, NULL, "Disable OOM Killer"),
        R("oom-score-adj", 0, OPT_INT, oom_score_adj, "int", NULL, "Tune the host's OOM preferences (-1000 to 1000)"),
        R("pids-limit", 0, OPT_INT, pids_limit, "int", NULL, "Tune container pids limit (set -1 for unlimited)"),
        R("platform", 0, OPT_STRING, platform, "string", NULL, "Specify the platform for selecting the image"),
        R("pod", 0, OPT_STRING, pod, "string", NULL, "Run container in an existing pod"),
        R("pod-id-file", 0, OPT_STRING, pod_id_file, "string", NULL, "Read the pod ID from the file"),
        R_RUN("preserve-fds", 0, OPT_UINT, preserve_fds, "uint", "0",
              "Pass a number of additional file descriptors into the container"),
        R("privileged", 0, OPT_BOOL, privileged, NULL, NULL, "Give extended privileges to container"),
        R("publish", 'p', OPT_STRARRAY, netsel.publish, "stringArray", NULL,
          "Publish a container's port, or a range of ports, to the host"),
        R("publish-all", 'P', OPT_BOOL, netsel.publish_all, NULL, NULL,
          "Publish all exposed ports to random ports on the host interface"),
        R("pull", 0, OPT_STRING, pull, "string", "missing", "Pull image policy (always, missing, never, newer)"),
        R("quiet", 'q', OPT_BOOL, quiet, NULL, NULL, "Suppress output information when pulling images"),
        R("read-only", 0, OPT_BOOL, read_only, NULL, NULL, "Make containers root filesystem read-only"),
        R("read-only-tmpfs", 0, OPT_BOOL, read_only_tmpfs, NULL, "true",
          "When running containers in read-only mode mount a read-write tmpfs on /run, /tmp and /var/tmp"),
        R("replace", 0, OPT_BOOL, replace, NULL, NULL, "If a container with the same name exists, replace it"),
        R("restart", 0, OPT_STRING, restart, "string", NULL,
          "Restart policy to apply when a container exits (\"always\"|\"no\"|\"on-failure\"|\"unless-stopped\")"),
        R("rm", 0, OPT_BOOL, rm, NULL, NULL, "Remove container (and pod if created) after exit"),
        R_RUN("rmi", 0, OPT_BOOL, rmi, NULL, NULL, "Remove container image unless used by other containers"),
        R("sdnotify", 0, OPT_STRING, sdnotify, "string", "container",
          "control sd-notify behavior (\"container\"|\"conmon\"|\"ignore\")"),
        R("secret", 0, OPT_STRARRAY, secret, "stringArray", NULL, "Add secret to container"),
        R("security-opt", 0, OPT_STRARRAY, security_opt, "stringArray", NULL, "Security Options"),
        R("signature-policy", 0, OPT_STRING, signature_policy, "string", NULL,
          "Path to a signature-policy file (instead of the default policy.json)"),
        R("shm-size", 0, OPT_STRING, shm_size, "<number>[<unit>]", "65536k", "Size of /dev/shm"),
        R_RUN("sig-proxy", 0, OPT_BOOL, sig_proxy, NULL, "true", "Proxy received signals to the process"),
        R("stop-signal", 0, OPT_STRING, stop_signal, "string", NULL, "Signal to stop a container. Default is SIGTERM"),
        R("stop-timeout", 0, OPT_UINT, stop_timeout, "uint", "10",
          "Timeout (in seconds) that containers stopped by user command have to exit. If exceeded, the container will "
          "be forcibly stopped via SIGKILL."),
        R("subgidname", 0, OPT_STRING, subgidname, "string", NULL,
          "Name of range listed in /etc/subgid for use in user namespace"),
        R("subuidname", 0, OPT_STRING, subuidname, "string", NULL,
          "Name of range listed in /etc/subuid for use in user namespace"),
        R("sysctl", 0, OPT_STRARRAY, sysctl, "strings", NULL, "Sysctl options"),
        R("timeout", 0, OPT_UINT, timeout, "uint", "0",
          "Maximum length of time a container is allowed to run. The container will be killed automatically after "
          "the time expires."),
        R("tmpfs", 0, OPT_STRARRAY, tmpfs, "tmpfs", NULL, "Mount a temporary filesystem (tmpfs) into a container"),
        R("tty", 't', OPT_BOOL, tty, NULL, NULL, "Allocate a pseudo-TTY for container"),
        R("tz", 0, OPT_STRING, tz, "string", NULL, "Set timezone in container"),
        R("uidmap", 0, OPT_STRARRAY, uidmap, "strings", NULL, "UID map to use for the user namespace"),
        R("ulimit", 0, OPT_STRARRAY, ulimit, "strings", NULL, "Ulimit options"),
        R("unsetenv", 0, OPT_STRARRAY, unsetenv, "stringArray", NULL,
          "Unset environment default variables in container"),
        R("unsetenv-all", 0, OPT_BOOL, unsetenv_all, NULL, NULL,
          "Unset all default environment variables in container"),
        R("user", 'u', OPT_STRING, user, "string", NULL, "Username or UID (format: <name|uid>[:<group|gid>])"),
        R("userns", 0, OPT_STRING, userns, "string", NULL, "User namespace to use"),
        R("uts", 0, OPT_STRING, uts, "string", NULL, "UTS namespace to use"),
        R("variant", 0, OPT_STRING, variant, "string", NULL,
          "Use VARIANT instead of the running architecture variant for choosing images"),
        R("volume", 'v', OPT_STRARRAY, volume, "stringArray", NULL, "Bind mount a volume into the container"),
        R("volumes-from", 0, OPT_STRARRAY, volumes_from, "stringArray", NULL,
          "Mount volumes from the specified container(s)"),
        R("workdir", 'w', OPT_STRING, workdir, "string", NULL, "Working directory inside the container"),
        OPT_END,
};

/* podman --replace: remove an existing container of that name first. */
static int replace_existing(struct cli_ctx *ctx, const struct run_opts *o)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        char id[65];
        int r = 0;

        if (!o->replace || !o->name)
                return 0;
        if (cpod_ctr_lookup(ctx->rt, o->name, id, &err) == 0 &&
            cpod_ctr_remove(ctx->rt, id, &(struct cpod_rm_opts){ .force = true, .timeout = -1 }, &err) < 0)
                r = cli_fail(&err);
        cpod_error_clear(&err);
        return r;
}

static bool has_transport(const char *image)
{
        static const char *const t[] = { "docker://", "docker-archive:",    "oci-archive:", "oci:",
                                         "dir:",      "containers-storage:" };

        for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
                if (strncmp(image, t[i], strlen(t[i])) == 0)
                        return true;
        return false;
}

/* Create from flags; prints errors. Returns 0 with ret_id set, or an exit code. */
static int create_from_flags(struct cli_ctx *ctx, struct run_opts *o, int argc, char **argv, char ret_id[65],
                             char image_id[65])
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *params = NULL;
        int r;

        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        if (o->signature_policy)
                cpod_runtime_set_signature_policy(ctx->rt, o->signature_policy);
        if ((r = ctr_params_build(ctx, o, argc, argv, &params)) != 0)
                return r;
        if ((r = cli_ensure_image(ctx, argv[0], o, image_id)) != 0)
                return r;
        /* An image named with a transport (docker-archive:FILE, ...) is the image just read from it. */
        if (has_transport(argv[0]))
                json_object_set_new(params, "Image", json_string(image_id));
        if ((r = replace_existing(ctx, o)) != 0)
                return r;
        if (cpod_ctr_create(ctx->rt, params, ret_id, &err) < 0)
                return cli_fail(&err);
        return 0;
}

static int run_create(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        char id[65], image_id[65];
        int r = create_from_flags(ctx, opts, argc, argv, id, image_id);

        if (r == 0)
                printf("%s\n", id);
        return r;
}

/* -a/--attach: the streams named (all when none is). */
static bool attach_to(const struct run_opts *o, const char *stream)
{
        if (o->attach.n == 0)
                return true;
        for (size_t i = 0; i < o->attach.n; i++)
                if (strcasecmp(o->attach.v[i], stream) == 0)
                        return true;
        return false;
}

static int check_run_flags(const struct run_opts *o)
{
        for (size_t i = 0; i < o->attach.n; i++)
                if (!attach_to(&(struct run_opts){ .attach = { 0 } }, o->attach.v[i]) ||
                    (strcasecmp(o->attach.v[i], "stdin") != 0 && strcasecmp(o->attach.v[i], "stdout") != 0 &&
                     strcasecmp(o->attach.v[i], "stderr") != 0))
                        return cli_errorf(
                                "invalid stream \"%s\" for --attach - must be one of stdin, stdout, or stderr: "
                                "invalid argument",
                                o->attach.v[i]);
        /* The fds are checked before cpod opens any of its own that could take their numbers. */
        for (unsigned long fd = 3; fd < 3 + o->preserve_fds; fd++)
                if (fcntl((int)fd, F_GETFD) < 0)
                        return cli_errorf(
                                "file descriptor %lu is not available - the preserve-fds option requires that "
                                "file descriptors must be passed",
                                fd);
        if (o->tty && o->interactive && !isatty(STDIN_FILENO))
                cli_warn("The input device is not a TTY. The --tty and --interactive flags might not work properly",
                         NULL);
        return 0;
}

/* --rmi: the image goes after the container, unless another container uses it. */
static void remove_image(struct cli_ctx *ctx, const char *name)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *untagged = json_array(), *deleted = json_array();

        if (cpod_image_remove(ctx->rt, name, &(struct cpod_rmi_opts){ 0 }, untagged, deleted, &err) < 0 &&
            err.kind != CPOD_E_IN_USE)
                cli_fail(&err);
        cpod_error_clear(&err);
}

static int run_attached(struct cli_ctx *ctx, struct run_opts *o, const char *id)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_attach_streams s = { .in = o->interactive && attach_to(o, "stdin") ? STDIN_FILENO : -1,
                                         .out = attach_to(o, "stdout") ? STDOUT_FILENO : -1,
                                         .err = attach_to(o, "stderr") ? STDERR_FILENO : -1,
                                         .tty = o->tty,
                                         .detach_keys = o->detach_keys,
                                         .sig_proxy = o->sig_proxy };
        bool detached = false;
        int code = 0;

        if (cpod_ctr_start_attached(ctx->rt, id, &s, &code, &detached, &err) < 0) {
                int r = cli_fail(&err);
                /* A container that could not start is not left behind with --rm. */
                if (o->rm)
                        (void)cpod_ctr_remove(ctx->rt, id, &(struct cpod_rm_opts){ .force = true, .timeout = 0 }, NULL);
                return r;
        }
        return detached ? 0 : code;
}

static int run_run(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct run_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        char id[65], image_id[65];
        int r;

        if ((r = check_run_flags(o)) != 0)
                return r;
        o->rm = o->rm || o->rmi; /* --rmi implies --rm */
        if (o->detach && o->rm && o->restart && strcmp(o->restart, "no") != 0)
                return cli_errorf("the --rm option conflicts with --restart");
        if ((r = create_from_flags(ctx, o, argc, argv, id, image_id)) != 0)
                return r;
        if (!o->detach && o->rmi) {
                r = run_attached(ctx, o, id);
                remove_image(ctx, has_transport(argv[0]) ? image_id : argv[0]);
                return r;
        }
        if (!o->detach)
                return run_attached(ctx, o, id);
        if (cpod_ctr_start(ctx->rt, id, &err) < 0) {
                r = cli_fail(&err);
                if (o->rm)
                        (void)cpod_ctr_remove(ctx->rt, id, &(struct cpod_rm_opts){ .force = true, .timeout = 0 }, NULL);
                return r;
        }
        printf("%s\n", id);
        return 0;
}

/* create takes run's flags but those about the foreground client. */
static struct cli_opt create_opts[sizeof(run_opts) / sizeof(run_opts[0])];

__attribute__((constructor)) static void init_create_opts(void)
{
        size_t k = 0;

        for (const struct cli_opt *o = run_opts; o->name; o++)
                if (!(o->flags & OPT_RUN_ONLY))
                        create_opts[k++] = *o;
}

const struct cli_cmd cmd_create = {
        .name = "create",
        .use = "[options] IMAGE [COMMAND [ARG...]]",
        .summary = "Create but do not start a container",
        .description = "Creates a new container from the given image or storage and prepares it for running the "
                       "specified command.\n\nThe container ID is then printed to stdout. You can then start it at "
                       "any time with the cpod start <container_id> command. The container will be created with the "
                       "initial state 'created'.",
        .example = "cpod create alpine ls\ncpod create --annotation HELLO=WORLD alpine ls\n"
                   "cpod create -t -i --name myctr alpine ls",
        .opts = create_opts,
        .opts_size = sizeof(struct run_opts),
        .run = run_create,
        .min_args = 1,
        .max_args = -1,
        .no_interspersed = true,
        .complete_args = "images",
};

const struct cli_cmd cmd_run = {
        .name = "run",
        .use = "[options] IMAGE [COMMAND [ARG...]]",
        .summary = "Run a command in a new container",
        .description = "Runs a command in a new container from the given image",
        .example = "cpod run imageID ls -alF /etc\ncpod run --network=host imageID dnf -y install java\n"
                   "cpod run --volume /var/hostdir:/var/ctrdir -i -t fedora /bin/bash",
        .opts = run_opts,
        .opts_size = sizeof(struct run_opts),
        .run = run_run,
        .min_args = 1,
        .max_args = -1,
        .no_interspersed = true,
        .complete_args = "images",
};
