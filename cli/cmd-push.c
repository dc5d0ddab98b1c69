/* SPDX-License-Identifier: Apache-2.0 */
/* push (and image push). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/registry.h>

#include "cli/commands.h"
#include "cli/pull-progress.h"
#include "util/fileutil.h"

struct push_opts {
        struct registry_flags reg;
        const char *compression_format, *digestfile, *format, *sign_by, *sigstore_key, *sign_passphrase_file;
        bool compress, disable_content_trust, quiet, remove_signatures;
};

static const struct cli_opt push_opts[] = {
        OPT_S("authfile", 0, struct push_opts, reg.authfile, NULL,
              "Path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override"),
        OPT_S("cert-dir", 0, struct push_opts, reg.cert_dir, NULL,
              "Path to a directory containing TLS certificates and keys"),
        OPT_B("compress", 0, struct push_opts, compress,
              "Compress tarball image layers when pushing to a directory using the 'dir' transport. (default is same "
              "compression type as source)"),
        OPT_S("compression-format", 0, struct push_opts, compression_format, NULL, "compression format to use"),
        OPT("creds", 0, OPT_STRING, struct push_opts, reg.creds, "Credentials", NULL,
            "Credentials (USERNAME:PASSWORD) to use for authenticating to a registry"),
        OPT_S("digestfile", 0, struct push_opts, digestfile, NULL,
              "Write the digest of the pushed image to the specified file"),
        OPT_B("disable-content-trust", 0, struct push_opts, disable_content_trust,
              "This is a Docker specific option and is a NOOP"),
        OPT_S("format", 'f', struct push_opts, format, NULL,
              "Manifest type (oci, v2s2, or v2s1) to use in the destination (default is manifest type of source, "
              "with fallbacks)"),
        OPT_B("quiet", 'q', struct push_opts, quiet, "Suppress output information when pushing images"),
        OPT_B("remove-signatures", 0, struct push_opts, remove_signatures,
              "Discard any pre-existing signatures in the image"),
        OPT_S("sign-by", 0, struct push_opts, sign_by, NULL,
              "Add a signature at the destination using the specified key"),
        OPT("sign-by-sigstore-private-key", 0, OPT_STRING, struct push_opts, sigstore_key, "PATH", NULL,
            "Sign the image using a sigstore private key at PATH"),
        OPT("sign-passphrase-file", 0, OPT_STRING, struct push_opts, sign_passphrase_file, "PATH", NULL,
            "Read a passphrase for signing an image from PATH"),
        OPT_B("tls-verify", 0, struct push_opts, reg.tls_verify,
              "Require HTTPS and verify certificates when contacting registries (default true)"),
        OPT_END,
};

/* Flags cpod takes but cannot honour: refused rather than ignored. */
static int unsupported(struct cli_ctx *ctx, const struct push_opts *o)
{
        if (o->sigstore_key)
                return cli_errorf("--sign-by-sigstore-private-key is not supported by cpod");
        if (o->sign_passphrase_file)
                return cli_errorf("--sign-passphrase-file is not supported by cpod (use a gpg-agent)");
        if (o->compress)
                return cli_errorf("--compress is not supported by cpod: dir: destinations get uncompressed layers");
        (void)ctx;
        return 0;
}

static int write_digestfile(const char *path, const char *digest)
{
        cpod_error_t err = CPOD_ERROR_INIT;

        if (write_file_atomic(path, digest, strlen(digest), 0644, &err) < 0)
                return cli_fail(&err);
        return 0;
}

static int run_push(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct push_opts *o = opts;
        struct cpod_push_opts po = { .reg = CPOD_REGISTRY_OPTS_INIT };
        struct pull_progress pp;
        struct cpod_pull_opts events = { 0 };
        cpod_error_t err = CPOD_ERROR_INIT;
        char digest[72];
        int r;

        if ((r = unsupported(ctx, o)) != 0 || (r = registry_flags_apply(ctx, &o->reg, &po.reg)) != 0)
                return r;
        po.format = o->format && *o->format ? o->format : NULL;
        po.compression = o->compression_format && *o->compression_format ? o->compression_format : NULL;
        po.sign_by = o->sign_by && *o->sign_by ? o->sign_by : NULL;
        po.remove_signatures = o->remove_signatures;
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        pull_progress_init(&pp, o->quiet);
        pull_progress_attach(&pp, &events);
        po.event = events.event;
        po.event_ud = events.event_ud;
        r = cpod_image_push(ctx->rt, argv[0], argc > 1 ? argv[1] : NULL, &po, digest, &err);
        pull_progress_release(&pp);
        if (r < 0)
                return cli_fail(&err);
        if (o->digestfile && *o->digestfile)
                return write_digestfile(o->digestfile, digest);
        return 0;
}

const struct cli_cmd cmd_push = {
        .name = "push",
        .use = "[options] IMAGE [DESTINATION]",
        .summary = "Push an image to a specified destination",
        .description = "Pushes a source image to a specified destination.\n\n\tThe Image \"DESTINATION\" uses a "
                       "\"transport\":\"details\" format. See cpod-push(1) section \"DESTINATION\" for the expected "
                       "format.",
        .example = "cpod push imageID docker://registry.example.com/repository:tag\n"
                   "\t\tcpod push imageID oci-archive:/path/to/layout:image:tag",
        .opts = push_opts,
        .opts_size = sizeof(struct push_opts),
        .run = run_push,
        .min_args = 1,
        .max_args = 2,
        .complete_args = "images",
};
