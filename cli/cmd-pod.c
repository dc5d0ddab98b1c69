/* SPDX-License-Identifier: Apache-2.0 */
/* cpod pod ... */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/container.h>
#include <cpod/engine.h>
#include <cpod/pod.h>

#include "cli/commands.h"
#include "cli/ctr-params.h"
#include "cli/format.h"
#include "cli/output.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/human.h"
#include "util/json.h"
#include "util/signals.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct pod_create_opts {
        const char *name, *share, *hostname, *infra_image, *infra_command, *infra_name, *infra_pidfile, *pod_id_file,
                *exit_policy, *memory, *cgroup_parent, *userns, *subuidname, *subgidname;
        struct strv label, label_file, uidmap, gidmap;
        struct cli_net_opts net;
        struct cli_netsel netsel;
        double cpus_d;
        const char *cpus;
        bool infra, replace, share_parent;
};

#define P(name, sh, type, field, argname, def, help)                                                                   \
        OPT(name, sh, type, struct pod_create_opts, field, argname, def, help)

static const struct cli_opt pod_create_opts[] = {
        P("add-host", 0, OPT_STRSLICE, net.add_host, "strings", NULL, "Add a custom host-to-IP mapping (host:ip)"),
        P("cgroup-parent", 0, OPT_STRING, cgroup_parent, "string", NULL, "Optional parent cgroup for the pod"),
        P("cpus", 0, OPT_STRING, cpus, "float", NULL, "Set the total number of CPUs delegated to the pod"),
        P("dns", 0, OPT_STRSLICE, net.dns, "strings", NULL, "Set custom DNS servers"),
        P("dns-option", 0, OPT_STRSLICE, net.dns_option, "strings", NULL, "Set custom DNS options"),
        P("dns-search", 0, OPT_STRSLICE, net.dns_search, "strings", NULL, "Set custom DNS search domains"),
        P("exit-policy", 0, OPT_STRING, exit_policy, "string", "continue", "Behaviour when the last container exits"),
        P("gidmap", 0, OPT_STRARRAY, gidmap, "strings", NULL, "GID map to use for the user namespace"),
        P("hostname", 0, OPT_STRING, hostname, "string", NULL, "Set the pod's hostname"),
        P("infra", 0, OPT_BOOL, infra, NULL, "true",
          "Create an infra container associated with the pod to share namespaces with"),
        P("infra-command", 0, OPT_STRING, infra_command, "string", NULL,
          "The command to run on the infra container when the pod is started"),
        P("infra-conmon-pidfile", 0, OPT_STRING, infra_pidfile, "string", NULL,
          "Path to the file that will receive the PID of the infra container's conmon"),
        P("infra-image", 0, OPT_STRING, infra_image, "string", NULL,
          "Image to use to override builtin infra container"),
        P("infra-name", 0, OPT_STRING, infra_name, "string", NULL, "Assign a name to the infra container"),
        P("label", 'l', OPT_STRARRAY, label, "stringArray", NULL, "Set metadata on pod (default [])"),
        P("label-file", 0, OPT_STRARRAY, label_file, "stringArray", NULL, "Read in a line delimited file of labels"),
        P("memory", 'm', OPT_STRING, memory, "string", NULL,
          "Memory limit (format: <number>[<unit>], where unit = b, k, m or g)"),
        P("name", 'n', OPT_STRING, name, "string", NULL, "Assign a name to the pod"),
        P("ip", 0, OPT_STRING, netsel.ip, "string", NULL, "Specify a static IPv4 address for the pod"),
        P("ip6", 0, OPT_STRING, netsel.ip6, "string", NULL, "Specify a static IPv6 address for the pod"),
        P("mac-address", 0, OPT_STRING, netsel.mac_address, "string", NULL,
          "Pod's infra container MAC address (e.g. 92:d0:c6:0a:29:33)"),
        P("network", 0, OPT_STRARRAY, netsel.network, "stringArray", NULL, "Connect a container to a network"),
        P("network-alias", 0, OPT_STRARRAY, netsel.network_alias, "stringArray", NULL,
          "Add network-scoped alias for the pod"),
        P("no-hosts", 0, OPT_BOOL, net.no_hosts, NULL, NULL, "Do not create /etc/hosts within the pod's containers"),
        P("pod-id-file", 0, OPT_STRING, pod_id_file, "string", NULL, "Write the pod ID to the file"),
        P("publish", 'p', OPT_STRARRAY, netsel.publish, "strings", NULL,
          "Publish a container's port, or a range of ports, to the host"),
        P("replace", 0, OPT_BOOL, replace, NULL, NULL, "If a pod with the same name exists, replace it"),
        P("share", 0, OPT_STRING, share, "string", "ipc,net,uts",
          "A comma delimited list of kernel namespaces the pod will share"),
        P("share-parent", 0, OPT_BOOL, share_parent, NULL, "true",
          "Set the pod's cgroup as the cgroup parent for all containers joining the pod"),
        P("subgidname", 0, OPT_STRING, subgidname, "string", NULL,
          "Name of range listed in /etc/subgid for use in user namespace"),
        P("subuidname", 0, OPT_STRING, subuidname, "string", NULL,
          "Name of range listed in /etc/subuid for use in user namespace"),
        P("uidmap", 0, OPT_STRARRAY, uidmap, "strings", NULL, "UID map to use for the user namespace"),
        P("userns", 0, OPT_STRING, userns, "string", NULL, "User namespace to use"),
        OPT_END,
};

static int pod_params(struct cli_ctx *ctx, const struct pod_create_opts *o, json_t **ret)
{
        json_t *p, *labels;
        _cleanup_strv_ char **share = strv_split(o->share ? o->share : "", ",");
        int r = cli_labels(&o->label_file, &o->label, &labels);

        if (r)
                return r;
        p = json_object();
        json_object_set_new(p, "Labels", labels);
        if (o->name)
                json_object_set_new(p, "Name", json_string(o->name));
        if (o->hostname)
                json_object_set_new(p, "Hostname", json_string(o->hostname));
        json_object_set_new(p, "Share", json_strv(share, -1));
        json_object_set_new(p, "Infra", json_boolean(o->infra));
        json_object_set_new(p, "Replace", json_boolean(o->replace));
        if (o->infra_image)
                json_object_set_new(p, "InfraImage", json_string(o->infra_image));
        if (o->infra_command)
                json_object_set_new(p, "InfraCommand", json_pack("[s]", o->infra_command));
        if (o->infra_name)
                json_object_set_new(p, "InfraName", json_string(o->infra_name));
        if (o->infra_pidfile)
                json_object_set_new(p, "InfraConmonPidFile", json_string(o->infra_pidfile));
        if (o->cgroup_parent)
                json_object_set_new(p, "CgroupParent", json_string(o->cgroup_parent));
        json_object_set_new(p, "ExitPolicy", json_string(o->exit_policy));
        if (o->userns)
                json_object_set_new(p, "UsernsMode", json_string(o->userns));
        if (o->subuidname)
                json_object_set_new(p, "SubUIDName", json_string(o->subuidname));
        if (o->subgidname)
                json_object_set_new(p, "SubGIDName", json_string(o->subgidname));
        json_object_set_new(p, "UIDMap", cli_strv_json(&o->uidmap));
        json_object_set_new(p, "GIDMap", cli_strv_json(&o->gidmap));
        json_object_set_new(p, "CreateCommand", cli_create_command(ctx));
        if ((r = cli_net_params(ctx, &o->net, o->netsel.network.n ? o->netsel.network.v[0] : NULL, p)) ||
            (r = cli_network_params(&o->netsel, p))) {
                json_decref(p);
                return r;
        }
        json_object_set_new(p, "ShareParent", json_boolean(o->share_parent));
        if (o->cpus) {
                char *end;
                double c = strtod(o->cpus, &end);
                if (*end || c <= 0) {
                        json_decref(p);
                        return cli_errorf("invalid argument \"%s\" for \"--cpus\" flag", o->cpus);
                }
                json_object_set_new(p, "Cpus", json_real(c));
        }
        if (o->memory) {
                int64_t m;
                if (parse_size(o->memory, &m) < 0) {
                        json_decref(p);
                        return cli_errorf("invalid size: '%s'", o->memory);
                }
                json_object_set_new(p, "Memory", json_integer(m));
        }
        (void)ctx;
        *ret = p;
        return 0;
}

static int check_pod_flags(const struct pod_create_opts *o)
{
        if (strcmp(o->exit_policy, "continue") != 0 && strcmp(o->exit_policy, "stop") != 0)
                return cli_errorf("running pod create option: invalid pod exit policy: \"%s\"", o->exit_policy);
        if ((o->netsel.network.n || o->netsel.publish.n) && o->share && !strstr(o->share, "net"))
                return cli_errorf("you must share the network namespace to set network options on a pod: --share "
                                  "net");
        if (!o->infra && (o->infra_image || o->infra_command || o->infra_name || o->infra_pidfile))
                return cli_errorf("cannot set infra options when --infra=false");
        return 0;
}

/* Shared with run/create --pod new:NAME. */
int cli_pod_create(struct cli_ctx *ctx, const char *name, char ret_id[65])
{
        struct pod_create_opts o = { .name = name, .share = "ipc,net,uts", .infra = true, .exit_policy = "continue" };
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *p = NULL;
        int r;

        if ((r = pod_params(ctx, &o, &p)))
                return r;
        if (cpod_pod_create(ctx->rt, p, ret_id, &err) < 0)
                return cli_fail(&err);
        return 0;
}

static int run_pod_create(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct pod_create_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *p = NULL;
        char id[65];
        int r;

        if (argc > 0 && !o->name)
                o->name = argv[0];
        if ((r = check_pod_flags(o)) || (r = pod_params(ctx, o, &p)))
                return r;
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        if (cpod_pod_create(ctx->rt, p, id, &err) < 0)
                return cli_fail(&err);
        if (o->pod_id_file && write_file(o->pod_id_file, id, strlen(id), 0644, &err) < 0)
                return cli_fail(&err);
        printf("%s\n", id);
        return 0;
}

static const struct cli_cmd cmd_pod_create = {
        .name = "create",
        .use = "[options] [NAME]",
        .summary = "Create a new empty pod",
        .description = "After creating the pod, the pod ID is printed to stdout.\n\n  You can then start it at any "
                       "time with the  cpod pod start <pod_id> command. The pod will be created with the initial "
                       "state 'created'.",
        .example = "cpod pod create\ncpod pod create --label foo=bar mypod\ncpod pod create --share ipc,uts,pid mypod",
        .opts = pod_create_opts,
        .opts_size = sizeof(struct pod_create_opts),
        .run = run_pod_create,
        .max_args = 1,
};

struct pod_multi_opts {
        bool all, force, ignore, latest;
        long time;
        const char *signal;
        struct strv pod_id_file;
};

#define PM(name, sh, type, field, argname, def, help)                                                                  \
        OPT(name, sh, type, struct pod_multi_opts, field, argname, def, help)

static int pod_names(struct cli_ctx *ctx, struct pod_multi_opts *o, int argc, char **argv, char ***ret)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        char **v = xnew0(char *, 1);

        for (int i = 0; i < argc; i++)
                strv_add(&v, argv[i]);
        for (size_t i = 0; i < o->pod_id_file.n; i++) {
                char *id = read_line_file(o->pod_id_file.v[i]);
                if (id)
                        strv_take(&v, id);
                else if (!o->ignore) {
                        strv_free(v);
                        return cli_errorf("reading pod ID file %s: no such file or directory", o->pod_id_file.v[i]);
                }
        }
        if (o->all || o->latest) {
                _cleanup_json_ json_t *all = NULL;
                size_t i;
                json_t *p;
                if (cpod_pod_list(ctx->rt, &all, &err) < 0) {
                        strv_free(v);
                        return cli_fail(&err);
                }
                json_array_foreach(all, i, p) {
                        strv_add(&v, json_get_str(p, "Id"));
                        if (o->latest)
                                break;
                }
        }
        if (!v[0] && !o->all && !o->latest && argc == 0 && o->pod_id_file.n == 0) {
                strv_free(v);
                return cli_errorf("you must provide at least one name or id");
        }
        *ret = v;
        return 0;
}

static int op_rm(struct cli_ctx *ctx, struct pod_multi_opts *o, const char *id, cpod_error_t *err);

/* pod rm FULL_ID of a pod whose record is gone finishes its removal (cpod_pod_remove); other ops need the pod. */
static bool lookup(struct cli_ctx *ctx, const char *name, char id[65], bool removing, cpod_error_t *err)
{
        if (cpod_pod_lookup(ctx->rt, name, id, err) == 0)
                return true;
        if (!removing || err->kind != CPOD_E_NO_SUCH_POD || strlen(name) != 64)
                return false;
        cpod_error_clear(err);
        memcpy(id, name, 65);
        return true;
}

static int pod_each(struct cli_ctx *ctx, struct pod_multi_opts *o, int argc, char **argv,
                    int (*op)(struct cli_ctx *, struct pod_multi_opts *, const char *, cpod_error_t *))
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_strv_ char **names = NULL;
        bool missing;
        int r, rc = 0;

        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        if ((r = pod_names(ctx, o, argc, argv, &names)))
                return r;
        for (char **n = names; *n; n++) {
                char id[65];
                if (lookup(ctx, *n, id, op == op_rm, &err) && op(ctx, o, id, &err) == 0) {
                        printf("%s\n", id);
                        continue;
                }
                if ((o->ignore || (op == op_rm && o->force)) && err.kind == CPOD_E_NO_SUCH_POD) {
                        cpod_error_clear(&err);
                        continue;
                }
                /* As podman: pod rm of a pod that does not exist exits 1 (like rm), other failures 125. */
                missing = op == op_rm && err.kind == CPOD_E_NO_SUCH_POD;
                r = cli_fail(&err);
                rc = missing && (rc == 0 || rc == 1) ? 1 : r;
        }
        return rc;
}

#define POD_CMD(var, cname, summary_, opts_, opfn)                                                                     \
        static int run_##opfn(struct cli_ctx *ctx, void *opts, int argc, char **argv)                                  \
        {                                                                                                              \
                return pod_each(ctx, opts, argc, argv, opfn);                                                          \
        }                                                                                                              \
        static const struct cli_cmd var = {                                                                            \
                .name = cname,                                                                                         \
                .use = "[options] POD [POD...]",                                                                       \
                .summary = summary_,                                                                                   \
                .opts = opts_,                                                                                         \
                .opts_size = sizeof(struct pod_multi_opts),                                                            \
                .run = run_##opfn,                                                                                     \
                .max_args = -1,                                                                                        \
                .complete_args = "pods",                                                                               \
        }

static const struct cli_opt pod_start_opts[] = {
        PM("all", 'a', OPT_BOOL, all, NULL, NULL, "Start all pods"),
        PM("latest", 'l', OPT_BOOL, latest, NULL, NULL, "Act on the latest pod cpod is aware of"),
        PM("pod-id-file", 0, OPT_STRARRAY, pod_id_file, "stringArray", NULL, "Read the pod ID from the file"),
        OPT_END,
};

static int op_start(struct cli_ctx *ctx, struct pod_multi_opts *o, const char *id, cpod_error_t *err)
{
        (void)o;
        return cpod_pod_start(ctx->rt, id, err);
}
POD_CMD(cmd_pod_start, "start", "Start one or more pods", pod_start_opts, op_start);

static const struct cli_opt pod_stop_opts[] = {
        PM("all", 'a', OPT_BOOL, all, NULL, NULL, "Stop all running pods"),
        PM("ignore", 'i', OPT_BOOL, ignore, NULL, NULL, "Ignore errors when a specified pod is missing"),
        PM("latest", 'l', OPT_BOOL, latest, NULL, NULL, "Act on the latest pod cpod is aware of"),
        PM("pod-id-file", 0, OPT_STRARRAY, pod_id_file, "stringArray", NULL, "Read the pod ID from the file"),
        PM("time", 't', OPT_INT, time, "int", "-1", "Seconds to wait for pod stop before killing the container"),
        OPT_END,
};

static int op_stop(struct cli_ctx *ctx, struct pod_multi_opts *o, const char *id, cpod_error_t *err)
{
        return cpod_pod_stop(ctx->rt, id, (int)o->time, err);
}
POD_CMD(cmd_pod_stop, "stop", "Stop one or more pods", pod_stop_opts, op_stop);

static int op_restart(struct cli_ctx *ctx, struct pod_multi_opts *o, const char *id, cpod_error_t *err)
{
        (void)o;
        if (cpod_pod_stop(ctx->rt, id, -1, err) < 0)
                return -EIO;
        return cpod_pod_start(ctx->rt, id, err);
}
static const struct cli_opt pod_restart_opts[] = {
        PM("all", 'a', OPT_BOOL, all, NULL, NULL, "Restart all running pods"),
        PM("latest", 'l', OPT_BOOL, latest, NULL, NULL, "Act on the latest pod cpod is aware of"),
        OPT_END,
};
POD_CMD(cmd_pod_restart, "restart", "Restart one or more pods", pod_restart_opts, op_restart);

static const struct cli_opt pod_kill_opts[] = {
        PM("all", 'a', OPT_BOOL, all, NULL, NULL, "Kill all running pods"),
        PM("latest", 'l', OPT_BOOL, latest, NULL, NULL, "Act on the latest pod cpod is aware of"),
        PM("signal", 's', OPT_STRING, signal, "string", "KILL", "Signal to send to the containers in the pod"),
        OPT_END,
};

static int op_kill(struct cli_ctx *ctx, struct pod_multi_opts *o, const char *id, cpod_error_t *err)
{
        int sig = signal_number(o->signal);

        if (sig < 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid signal: %s", o->signal);
        return cpod_pod_kill(ctx->rt, id, sig, err);
}
POD_CMD(cmd_pod_kill, "kill", "Send the specified signal or SIGKILL to containers in pod", pod_kill_opts, op_kill);

static const struct cli_opt pod_pause_opts[] = {
        PM("all", 'a', OPT_BOOL, all, NULL, NULL, "Pause all running pods"),
        PM("latest", 'l', OPT_BOOL, latest, NULL, NULL, "Act on the latest pod cpod is aware of"),
        OPT_END,
};

static const struct cli_opt pod_unpause_opts[] = {
        PM("all", 'a', OPT_BOOL, all, NULL, NULL, "Unpause all paused pods"),
        PM("latest", 'l', OPT_BOOL, latest, NULL, NULL, "Act on the latest pod cpod is aware of"),
        OPT_END,
};

static int op_pause(struct cli_ctx *ctx, struct pod_multi_opts *o, const char *id, cpod_error_t *err)
{
        (void)o;
        return cpod_pod_pause(ctx->rt, id, true, err);
}
POD_CMD(cmd_pod_pause, "pause", "Pause one or more pods", pod_pause_opts, op_pause);

static int op_unpause(struct cli_ctx *ctx, struct pod_multi_opts *o, const char *id, cpod_error_t *err)
{
        (void)o;
        return cpod_pod_pause(ctx->rt, id, false, err);
}
POD_CMD(cmd_pod_unpause, "unpause", "Unpause one or more pods", pod_unpause_opts, op_unpause);

static const struct cli_opt pod_rm_opts[] = {
        PM("all", 'a', OPT_BOOL, all, NULL, NULL, "Remove all running pods"),
        PM("force", 'f', OPT_BOOL, force, NULL, NULL,
           "Force removal of a running pod by first stopping all containers, then removing all containers in the pod.  "
           "The default is false"),
        PM("ignore", 'i', OPT_BOOL, ignore, NULL, NULL, "Ignore errors when a specified pod is missing"),
        PM("latest", 'l', OPT_BOOL, latest, NULL, NULL, "Act on the latest pod cpod is aware of"),
        PM("pod-id-file", 0, OPT_STRARRAY, pod_id_file, "stringArray", NULL, "Read the pod ID from the file"),
        PM("time", 't', OPT_INT, time, "int", "-1", "Seconds to wait for pod stop before killing the container"),
        OPT_END,
};

static int op_rm(struct cli_ctx *ctx, struct pod_multi_opts *o, const char *id, cpod_error_t *err)
{
        return cpod_pod_remove(ctx->rt, id, o->force, (int)o->time, err);
}
POD_CMD(cmd_pod_rm, "rm", "Remove one or more pods", pod_rm_opts, op_rm);

static int run_pod_exists(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        char id[65];

        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        return cli_exists_rc(cpod_pod_lookup(ctx->rt, argv[0], id, &err), &err, CPOD_E_NO_SUCH_POD);
}

static const struct cli_cmd cmd_pod_exists = {
        .name = "exists",
        .use = "POD",
        .summary = "Check if a pod exists in local storage",
        .description = "If the named pod exists in local storage, cpod pod exists exits with 0, otherwise the exit "
                       "code will be 1.",
        .run = run_pod_exists,
        .min_args = 1,
        .max_args = 1,
        .complete_args = "pods",
};

static int run_pod_inspect(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        const char *format = *(const char **)opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *all = json_array();
        int rc = 0;

        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        for (int i = 0; i < argc; i++) {
                json_t *o;
                if (cpod_pod_inspect(ctx->rt, argv[i], &o, &err) < 0) {
                        rc = cli_fail(&err);
                        continue;
                }
                json_array_append_new(all, o);
        }
        /* podman prints a single object (not an array) for one pod. */
        if (json_array_size(all) == 1 && (!format || !*format || strcmp(format, "json") == 0)) {
                cli_print_json(stdout, json_array_get(all, 0));
                return rc;
        }
        if (cli_print_inspect(stdout, format, all, &err) < 0)
                return cli_fail(&err);
        return rc;
}

static const struct cli_opt pod_inspect_opts[] = {
        { "format", 'f', OPT_STRING, 0, "string", "Format the output using the given Go template", "json", 0 },
        OPT_END,
};

static const struct cli_cmd cmd_pod_inspect = {
        .name = "inspect",
        .use = "[options] POD [POD...]",
        .summary = "Displays a pod configuration",
        .description = "Display the configuration for a pod by name or id",
        .opts = pod_inspect_opts,
        .opts_size = sizeof(const char *),
        .run = run_pod_inspect,
        .min_args = 1,
        .max_args = -1,
        .complete_args = "pods",
};

static int run_pod_prune(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        bool force = *(bool *)opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_prune_report rep = { 0 };

        if (!force && !cli_confirm("WARNING! This will remove all stopped/exited pods.."))
                return 0;
        if (!cli_runtime(ctx, &err) || cpod_pod_prune(ctx->rt, &rep, &err) < 0)
                return cli_fail(&err);
        return cli_print_prune(&rep);
}

static const struct cli_opt pod_prune_opts[] = {
        { "force", 'f', OPT_BOOL, 0, NULL, "Do not prompt for confirmation.  The default is false", NULL, 0 },
        OPT_END,
};

static const struct cli_cmd cmd_pod_prune = {
        .name = "prune",
        .use = "[options]",
        .summary = "Remove all stopped pods and their containers",
        .opts = pod_prune_opts,
        .opts_size = sizeof(bool),
        .run = run_pod_prune,
        .max_args = 0,
};

extern const struct cli_cmd cmd_pod_ps, cmd_pod_logs, cmd_pod_top;

const struct cli_cmd cmd_pod = {
        .name = "pod",
        .use = "[command]",
        .summary = "Manage pods",
        .description = "Pods are a group of one or more containers sharing the same network, pid and ipc namespaces.",
        .subcmds = CMD_LIST(&cmd_pod_create, &cmd_pod_exists, &cmd_pod_inspect, &cmd_pod_kill, &cmd_pod_logs,
                            &cmd_pod_ps, &cmd_pod_pause, &cmd_pod_prune, &cmd_pod_restart, &cmd_pod_rm, &cmd_pod_start,
                            &cmd_pod_stats, &cmd_pod_stop, &cmd_pod_top, &cmd_pod_unpause),
};
