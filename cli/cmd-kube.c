/* SPDX-License-Identifier: Apache-2.0 */
/* kube play, kube down, kube generate, and the older spellings play kube and generate kube. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpod/kube.h>

#include "cli/commands.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"

struct kube_play_opts {
        bool down, quiet, replace, start;
        const char *network;
};

static const struct cli_opt kube_play_opts[] = {
        OPT_B("down", 0, struct kube_play_opts, down, "Stop pods defined in the YAML file"),
        OPT_S("network", 0, struct kube_play_opts, network, NULL,
              "Connect pod to network(s) (none, host, bridge or a network name)"),
        OPT_B("quiet", 'q', struct kube_play_opts, quiet, "Suppress output information when pulling images"),
        OPT_B("replace", 0, struct kube_play_opts, replace, "Delete and recreate pods defined in the YAML file"),
        OPT("start", 0, OPT_BOOL, struct kube_play_opts, start, NULL, "true", "Start the pod after creating it"),
        OPT_END,
};

/* FILE or "-": at most CPOD_KUBE_MAX_SIZE bytes are read, a larger input is refused. */
static int read_input(const char *src, char **ret, size_t *ret_len, cpod_error_t *err)
{
        if (strcmp(src, "-") == 0)
                return read_fd(STDIN_FILENO, ret, ret_len, CPOD_KUBE_MAX_SIZE, err) < 0
                               ? cpod_error_wrap(err, "read stdin")
                               : 0;
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

static void print_play(const json_t *rep)
{
        const json_t *pods = json_object_get(rep, "Pods"), *p;
        size_t i;

        print_list(json_object_get(rep, "Volumes"), "Name", "Volume:", "Volumes:");
        print_list(json_object_get(rep, "Secrets"), "ID", "Secret:", "Secrets:");
        print_list(pods, "ID", "Pod:", "Pods:");
        json_array_foreach(pods, i, p) {
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

static int run_kube_play(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct kube_play_opts *o = opts;
        struct cpod_kube_play_opts po = { .no_start = !o->start, .replace = o->replace, .network = o->network };

        (void)argc;
        if (o->down && (o->replace || !o->start || o->network))
                return cli_errorf("--down cannot be used with --replace, --start or --network");
        return kube_run(ctx, argv[0], o->down, false, &po);
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
