/* SPDX-License-Identifier: Apache-2.0 */
/* build (image build, buildx build): through Buildah, see lib/image/buildah.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/image.h>

#include "cli/commands.h"
#include "util/cleanup.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct build_opts {
        struct strv files, tags, build_args, labels, annotations, volumes, secrets;
        const char *target, *format, *network, *pull, *iidfile, *platform;
        bool no_cache, squash, squash_all, quiet, layers, rm, force_rm, pull_always, pull_never;
};

/* clang-format off */
static const struct cli_opt build_opts[] = {
        OPT_A("annotation", 0, struct build_opts, annotations, "Set metadata for an image (default [])"),
        OPT_A("build-arg", 0, struct build_opts, build_args, "argument=value to supply to the builder"),
        OPT_A("file", 'f', struct build_opts, files, "pathname or URL of a Dockerfile"),
        OPT_B("force-rm", 0, struct build_opts, force_rm,
              "Always remove intermediate containers after a build, even if the build is unsuccessful. (always on)"),
        OPT_S("format", 0, struct build_opts, format, "oci",
              "format of the built image's manifest and metadata. Use BUILDAH_FORMAT environment variable to "
              "override."),
        OPT_S("iidfile", 0, struct build_opts, iidfile, NULL, "Write the image ID to the file"),
        OPT_A("label", 0, struct build_opts, labels, "Set metadata for an image (default [])"),
        OPT("layers", 0, OPT_BOOL, struct build_opts, layers, NULL, "true",
            "Cache intermediate layers during build. Use BUILDAH_LAYERS environment variable to override."),
        OPT_S("network", 0, struct build_opts, network, NULL,
              "Connect a container to a network: 'none', 'host', 'private' or 'ns:PATH' (RUN steps)"),
        OPT_B("no-cache", 0, struct build_opts, no_cache, "Do not use existing cached images for the container build. "
              "Build from the start with a new set of cached layers."),
        OPT_S("platform", 0, struct build_opts, platform, NULL, "set the OS/ARCH[/VARIANT] of the image (this host's only)"),
        { "pull", 0, OPT_STRING, offsetof(struct build_opts, pull), "string",
          "Pull image policy: always, missing, never, newer (default \"missing\"; --pull alone: always)", "always",
          OPT_OPTIONAL_ARG },
        OPT_B("pull-always", 0, struct build_opts, pull_always, "pull the image even if the named image is present in "
              "store"),
        OPT_B("pull-never", 0, struct build_opts, pull_never, "do not pull the image, use the image present in store "
              "if available"),
        OPT_B("quiet", 'q', struct build_opts, quiet, "refrain from announcing build instructions and image read/write "
              "progress"),
        OPT("rm", 0, OPT_BOOL, struct build_opts, rm, NULL, "true",
            "Remove intermediate containers after a successful build"),
        OPT_A("secret", 0, struct build_opts, secrets, "secret file to expose to the build"),
        OPT_B("squash", 0, struct build_opts, squash, "squash newly built layers into a single new layer"),
        OPT_B("squash-all", 0, struct build_opts, squash_all, "Squash all layers into a single layer"),
        OPT_A("tag", 't', struct build_opts, tags, "tagged name to apply to the built image"),
        OPT_S("target", 0, struct build_opts, target, NULL, "set the target build stage to build"),
        OPT_A("volume", 'v', struct build_opts, volumes, "bind mount a volume into the container"),
        OPT_END,
};
/* clang-format on */

static char **argv_of(const struct strv *sv)
{
        return (char **)sv->v;
}

/* --pull and its older spellings into Buildah's policy names. */
static const char *pull_policy(struct cli_ctx *ctx, const struct build_opts *o)
{
        if (o->pull_always)
                return "always";
        if (o->pull_never)
                return "never";
        if (!cli_changed(ctx, "pull"))
                return "missing";
        if (strcmp(o->pull, "true") == 0 || strcmp(o->pull, "") == 0)
                return "always";
        if (strcmp(o->pull, "false") == 0)
                return "missing";
        return o->pull;
}

static int write_iidfile(const char *path, const char *id)
{
        FILE *f = fopen(path, "we");

        if (!f || fprintf(f, "sha256:%s", id) < 0 || fclose(f) != 0) {
                int e = errno;
                if (f)
                        (void)fclose(f);
                return cli_errorf("write iidfile %s: %s", path, strerror(e));
        }
        return 0;
}

static int run_build(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct build_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_build_opts bo = { 0 };
        _cleanup_strv_ char **extra = NULL;
        char id[65];

        bo.context = argc > 0 ? argv[0] : ".";
        bo.files = argv_of(&o->files);
        bo.tags = argv_of(&o->tags);
        bo.build_args = argv_of(&o->build_args);
        bo.labels = argv_of(&o->labels);
        bo.annotations = argv_of(&o->annotations);
        bo.volumes = argv_of(&o->volumes);
        bo.secrets = argv_of(&o->secrets);
        bo.target = o->target;
        bo.format = o->format;
        bo.network = o->network;
        bo.platform = o->platform && *o->platform ? o->platform : NULL;
        bo.pull = pull_policy(ctx, o);
        bo.no_cache = o->no_cache;
        bo.squash = o->squash;
        bo.quiet = o->quiet;
        bo.no_layers = !o->layers;
        if (o->squash_all)
                strv_add(&extra, "--squash-all");
        if (!o->rm)
                strv_add(&extra, "--rm=false");
        bo.extra = extra;
        /* -q: only the ID, printed here; Buildah's stdout (its own copy of the ID) is dropped. */
        bo.out_fd = o->quiet ? -2 : -1;
        bo.err_fd = -1;
        if (!cli_runtime(ctx, &err) || cpod_image_build(ctx->rt, &bo, id, &err) < 0)
                return cli_fail(&err);
        if (o->iidfile && write_iidfile(o->iidfile, id))
                return 125;
        if (o->quiet)
                printf("%s\n", id);
        return 0;
}

/* The same command is also `image build` and `buildx build`. */
const struct cli_cmd cmd_build = {
        .name = "build",
        .use = "[options] [CONTEXT]",
        .summary = "Build an image using instructions from Containerfiles",
        .description = "Builds an OCI image using instructions in one or more Containerfiles and a specified build "
                       "context directory.  Buildah does the build.",
        .example = "cpod build .\ncpod build --network none -t imageName -f Containerfile.simple .",
        .opts = build_opts,
        .opts_size = sizeof(struct build_opts),
        .run = run_build,
        .max_args = 1,
};

const struct cli_cmd cmd_buildx = {
        .name = "buildx",
        .use = "[command]",
        .summary = "Build images",
        .description = "Build images: the docker buildx name of cpod build",
        .subcmds = CMD_LIST(&cmd_build),
};
