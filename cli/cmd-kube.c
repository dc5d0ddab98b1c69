/* SPDX-License-Identifier: Apache-2.0 */
/* kube play, kube down, kube generate, and the older spellings play kube and generate kube. */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpod/kube.h>

#include "cli/commands.h"
#include "cli/ctr-params.h"
#include "cli/pull-progress.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"

struct kube_play_opts {
        struct registry_flags reg;
        bool down, quiet, replace, start, no_hosts, build, service_container;
        const char *network, *log_driver, *userns, *context_dir, *seccomp_profile_root, *signature_policy;
        struct strv annotation, configmap, ip, mac_address, log_opt;
};

#define P struct kube_play_opts
static const struct cli_opt kube_play_opts[] = {
        OPT_L("annotation", 0, P, annotation, "Add annotations to pods (key=value)"),
        OPT_S("authfile", 0, P, reg.authfile, NULL,
              "Path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override"),
        OPT_B("build", 0, P, build, "Build all images in a YAML (given Containerfiles exist)"),
        OPT("cert-dir", 0, OPT_STRING, P, reg.cert_dir, "Pathname", NULL,
            "Pathname of a directory containing TLS certificates and keys"),
        OPT("configmap", 0, OPT_STRSLICE, P, configmap, "Pathname", NULL,
            "Pathname of a YAML file containing a kubernetes configmap"),
        OPT_S("context-dir", 0, P, context_dir, NULL, "Path to top level of context directory"),
        OPT("creds", 0, OPT_STRING, P, reg.creds, "Credentials", NULL,
            "Credentials (USERNAME:PASSWORD) to use for authenticating to a registry"),
        OPT_B("down", 0, P, down, "Stop pods defined in the YAML file"),
        OPT("ip", 0, OPT_STRSLICE, P, ip, "ipSlice", NULL, "Static IP addresses to assign to the pods"),
        OPT_S("log-driver", 0, P, log_driver, NULL, "Logging driver for the container"),
        OPT_L("log-opt", 0, P, log_opt, "Logging driver options"),
        OPT_L("mac-address", 0, P, mac_address, "Static MAC addresses to assign to the pods"),
        OPT_S("network", 0, P, network, NULL, "Connect pod to network(s) (none, host, bridge or a network name)"),
        OPT_B("no-hosts", 0, P, no_hosts,
              "Do not create /etc/hosts within the pod's containers, instead use the version from the image"),
        OPT_B("quiet", 'q', P, quiet, "Suppress output information when pulling images"),
        OPT_B("replace", 0, P, replace, "Delete and recreate pods defined in the YAML file"),
        OPT_S("seccomp-profile-root", 0, P, seccomp_profile_root, "/var/lib/kubelet/seccomp",
              "Directory path for seccomp profiles"),
        { "service-container", 0, OPT_BOOL, offsetof(P, service_container), NULL,
          "Starts a service container before all pods", NULL, OPT_HIDDEN },
        { "signature-policy", 0, OPT_STRING, offsetof(P, signature_policy), "Pathname",
          "Pathname of signature policy file (not usually used)", NULL, OPT_HIDDEN },
        OPT("start", 0, OPT_BOOL, P, start, NULL, "true", "Start the pod after creating it"),
        OPT_B("tls-verify", 0, P, reg.tls_verify, "Require HTTPS and verify certificates when contacting registries"),
        OPT_S("userns", 0, P, userns, NULL, "User namespace to use"),
        OPT_END,
};
#undef P

/* FILE, "-" or an http(s) URL: at most CPOD_KUBE_MAX_SIZE bytes are read, a larger input is refused. */
static int read_input(const char *src, char **ret, size_t *ret_len, cpod_error_t *err)
{
        if (strcmp(src, "-") == 0)
                return read_fd(STDIN_FILENO, ret, ret_len, CPOD_KUBE_MAX_SIZE, err) < 0
                               ? cpod_error_wrap(err, "read stdin")
                               : 0;
        if (strncmp(src, "http://", 7) == 0 || strncmp(src, "https://", 8) == 0)
                return cpod_kube_fetch(src, ret, ret_len, err);
        return read_file(src, ret, ret_len, CPOD_KUBE_MAX_SIZE, err);
}

static void print_list(const json_t *list, const char *key, const char *one, const char *many)
{
        const json_t *x;
        size_t i;

        if (!json_array_size(list))
                return;
        printf("%s\n", json_array_size(list) == 1 ? one : many);
        json_array_foreach(list, i, x)
                printf("%s\n", key ? json_get_str(x, key) : json_string_value(x));
}

/* As podman 4.3.1: the volumes, then each pod with its containers (and here its secrets' and init containers'). */
static void print_play(const json_t *rep)
{
        const json_t *pods = json_object_get(rep, "Pods"), *p;
        size_t i;

        print_list(json_object_get(rep, "Volumes"), "Name", "Volumes:", "Volumes:");
        print_list(json_object_get(rep, "Secrets"), "ID", "Secret:", "Secrets:");
        json_array_foreach(pods, i, p) {
                printf("Pod:\n%s\n", json_get_str(p, "ID"));
                print_list(json_object_get(p, "Containers"), NULL, "Container:", "Containers:");
                print_list(json_object_get(p, "InitContainers"), NULL, "Init Container:", "Init Containers:");
                printf("\n");
        }
}

static void print_down(const json_t *rep)
{
        print_list(json_object_get(rep, "StopReport"), NULL, "Pods stopped:", "Pods stopped:");
        print_list(json_object_get(rep, "RmReport"), NULL, "Pods removed:", "Pods removed:");
        print_list(json_object_get(rep, "SecretRmReport"), NULL, "Secrets removed:", "Secrets removed:");
        print_list(json_object_get(rep, "VolumeRmReport"), NULL, "Volumes removed:", "Volumes removed:");
}

static int kube_run(struct cli_ctx *ctx, const char *src, bool down, bool force, const struct cpod_kube_play_opts *po)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_free_ char *data = NULL;
        _cleanup_json_ json_t *rep = NULL;
        size_t len = 0;
        int r;

        if (read_input(src, &data, &len, &err) < 0 || !cli_runtime(ctx, &err))
                return cli_fail(&err);
        if (down)
                r = cpod_kube_down(ctx->rt, data, len, src, force, &rep, &err);
        else
                r = cpod_kube_play(ctx->rt, data, len, src, po, &rep, &err);
        if (r < 0)
                return cli_fail(&err);
        if (down)
                print_down(rep);
        else
                print_play(rep);
        return 0;
}

/* --annotation KEY=VALUE (values at most 63 bytes, as podman) into an object. */
static int annotations(const struct strv *in, json_t *out)
{
        for (size_t i = 0; i < in->n; i++) {
                const char *eq = strchr(in->v[i], '=');

                if (!eq)
                        return cli_errorf("annotation \"%s\" must include an '=' sign", in->v[i]);
                if (strlen(eq + 1) > 63)
                        return cli_errorf("annotation exceeds maximum size, 63, of kubernetes annotation: %s", eq + 1);
                json_object_setn_new(out, in->v[i], (size_t)(eq - in->v[i]), json_string(eq + 1));
        }
        return 0;
}

/* Flags that need no runtime: checked first, as podman does.  0 or an exit code. */
static int check_play_flags(struct cli_ctx *ctx, const struct kube_play_opts *o)
{
        unsigned char buf[16];

        if (o->down && (o->replace || !o->start || o->network))
                return cli_errorf("--down cannot be used with --replace, --start or --network");
        if (o->service_container)
                return cli_errorf("--service-container is not supported by cpod");
        if (o->context_dir && !(cli_changed(ctx, "build") && o->build))
                return cli_errorf("--build must be specified when using --context-dir option");
        if (o->userns && *o->userns && strcmp(o->userns, "host") != 0)
                return cli_errorf("--userns \"%s\": cpod kube play supports only the host user namespace", o->userns);
        for (size_t i = 0; i < o->ip.n; i++)
                if (inet_pton(AF_INET, o->ip.v[i], buf) != 1 && inet_pton(AF_INET6, o->ip.v[i], buf) != 1)
                        return cli_errorf("invalid argument \"%s\" for \"--ip\" flag: invalid string being converted "
                                          "to IP address: %s",
                                          o->ip.v[i], o->ip.v[i]);
        if (cli_changed(ctx, "seccomp-profile-root"))
                cli_warn("--seccomp-profile-root: cpod does not read seccomp profiles from annotations, ignoring",
                         NULL);
        return 0;
}

static int run_kube_play(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct kube_play_opts *o = opts;
        struct cpod_pull_opts pull = { .reg = CPOD_REGISTRY_OPTS_INIT };
        struct cpod_kube_play_opts po = {
                .no_start = !o->start,
                .replace = o->replace,
                .network = o->network,
                .configmaps = (char *const *)o->configmap.v,
                .no_hosts = o->no_hosts,
                .static_ips = (char *const *)o->ip.v,
                .static_macs = (char *const *)o->mac_address.v,
                .build = cli_changed(ctx, "build") ? (o->build ? 1 : -1) : 0,
                .context_dir = o->context_dir,
                .build_out_fd = o->quiet ? 0 : STDERR_FILENO,
                .pull = &pull,
        };
        _cleanup_json_ json_t *log = json_object(), *ann = json_object();
        cpod_error_t err = CPOD_ERROR_INIT;
        struct pull_progress pp;
        int r;

        (void)argc;
        if ((r = check_play_flags(ctx, o)) != 0 || (r = annotations(&o->annotation, ann)) != 0 ||
            (r = cli_log_params(o->log_driver, &o->log_opt, log)) != 0 ||
            (r = registry_flags_apply(ctx, &o->reg, &pull.reg)) != 0)
                return r;
        if (o->down)
                return kube_run(ctx, argv[0], true, false, NULL);
        if (o->signature_policy) {
                if (!cli_runtime(ctx, &err))
                        return cli_fail(&err);
                cpod_runtime_set_signature_policy(ctx->rt, o->signature_policy);
        }
        po.log = log;
        po.annotations = ann;
        pull_progress_init(&pp, o->quiet);
        pull_progress_attach(&pp, &pull);
        r = kube_run(ctx, argv[0], false, false, &po);
        pull_progress_release(&pp);
        return r;
}

#define KUBE_PLAY_DESC                                                                                                 \
        "Reads in a structured file of Kubernetes YAML.\n\n  Creates pods or volumes based on the Kubernetes kind "    \
        "described in the YAML. Supported kinds are Pods, Deployments, PersistentVolumeClaims, ConfigMaps and "        \
        "Secrets."

static const struct cli_cmd cmd_kube_play = {
        .name = "play",
        .use = "[options] KUBEFILE|-",
        .summary = "Play a pod or volume based on Kubernetes YAML.",
        .description = KUBE_PLAY_DESC,
        .opts = kube_play_opts,
        .opts_size = sizeof(struct kube_play_opts),
        .run = run_kube_play,
        .min_args = 1,
        .max_args = 1,
};

static const struct cli_cmd cmd_play_kube = {
        .name = "kube",
        .use = "[options] KUBEFILE|-",
        .summary = "Play a pod or volume based on Kubernetes YAML.",
        .description = KUBE_PLAY_DESC,
        .opts = kube_play_opts,
        .opts_size = sizeof(struct kube_play_opts),
        .run = run_kube_play,
        .min_args = 1,
        .max_args = 1,
};

struct kube_down_opts {
        bool force;
};

static const struct cli_opt kube_down_opts[] = {
        OPT_B("force", 0, struct kube_down_opts, force, "remove volumes"),
        OPT_END,
};

static int run_kube_down(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct kube_down_opts *o = opts;

        (void)argc;
        return kube_run(ctx, argv[0], true, o->force, NULL);
}

static const struct cli_cmd cmd_kube_down = {
        .name = "down",
        .use = "[options] KUBEFILE|-",
        .summary = "Remove pods based on Kubernetes YAML.",
        .description = "Reads in a structured file of Kubernetes YAML.\n\n  Removes pods that have been based on the "
                       "Kubernetes kind described in the YAML.",
        .opts = kube_down_opts,
        .opts_size = sizeof(struct kube_down_opts),
        .run = run_kube_down,
        .min_args = 1,
        .max_args = 1,
};

struct kube_generate_opts {
        const char *filename;
        bool service;
};

static const struct cli_opt kube_generate_opts[] = {
        OPT("filename", 'f', OPT_STRING, struct kube_generate_opts, filename, "string", NULL,
            "Write output to the specified path"),
        OPT_B("service", 's', struct kube_generate_opts, service, "Generate YAML for a Kubernetes service object"),
        OPT_END,
};

static int run_kube_generate(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct kube_generate_opts *o = opts;
        struct cpod_kube_generate_opts go = { .service = o->service };
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_free_ char *yaml = NULL;
        struct stat st;

        (void)argc;
        if (!cli_runtime(ctx, &err) || cpod_kube_generate(ctx->rt, argv, &go, &yaml, &err) < 0)
                return cli_fail(&err);
        if (!o->filename) {
                printf("%s\n", yaml);
                return 0;
        }
        /* podman refuses to replace a file */
        if (stat(o->filename, &st) == 0)
                return cli_errorf("cannot write to \"%s\"; file exists", o->filename);
        if (write_file(o->filename, yaml, strlen(yaml), 0644, &err) < 0)
                return cli_fail(&err);
        return 0;
}

#define KUBE_GENERATE_DESC                                                                                             \
        "Command generates Kubernetes Pod, Service or PersistenVolumeClaim YAML (v1 specification) from Podman "       \
        "containers, pods or volumes.\n\n  Whether the input is for a container or pod, Podman will always generate "  \
        "the specification as a pod."

static const struct cli_cmd cmd_kube_generate = {
        .name = "generate",
        .use = "[options] {CONTAINER...|POD...|VOLUME...}",
        .summary = "Generate Kubernetes YAML based on containers, pods or volumes.",
        .description = KUBE_GENERATE_DESC,
        .opts = kube_generate_opts,
        .opts_size = sizeof(struct kube_generate_opts),
        .run = run_kube_generate,
        .min_args = 1,
        .max_args = -1,
};

static const struct cli_cmd cmd_generate_kube = {
        .name = "kube",
        .use = "[options] {CONTAINER...|POD...|VOLUME...}",
        .summary = "Generate Kubernetes YAML based on containers, pods or volumes.",
        .description = KUBE_GENERATE_DESC,
        .opts = kube_generate_opts,
        .opts_size = sizeof(struct kube_generate_opts),
        .run = run_kube_generate,
        .min_args = 1,
        .max_args = -1,
};

const struct cli_cmd cmd_generate = {
        .name = "generate",
        .use = "[command]",
        .summary = "Generate structured data based on containers, pods or volumes",
        .description = "Generate structured data (e.g., Kubernetes YAML or systemd units) based on containers, pods or "
                       "volumes.",
        .subcmds = CMD_LIST(&cmd_generate_kube, &cmd_generate_systemd),
};

const struct cli_cmd cmd_kube = {
        .name = "kube",
        .use = "[command]",
        .summary = "Play containers, pods or volumes from a structured file",
        .description = "Play structured data (e.g., Kubernetes YAML) based on containers, pods or volumes.",
        .subcmds = CMD_LIST(&cmd_kube_down, &cmd_kube_generate, &cmd_kube_play),
};

const struct cli_cmd cmd_play = {
        .name = "play",
        .use = "[command]",
        .summary = "Play containers, pods or volumes from a structured file",
        .description = "Play structured data (e.g., Kubernetes YAML) based on containers, pods or volumes.",
        .subcmds = CMD_LIST(&cmd_play_kube),
};
