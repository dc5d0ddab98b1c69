/* SPDX-License-Identifier: Apache-2.0 */
/* manifest create, add, annotate, inspect, push, remove, rm, exists. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/manifest.h>

#include "cli/commands.h"
#include "cli/pull-progress.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"

struct entry_flags {
        const char *arch, *os, *variant, *os_version;
        struct strv features, os_features, annotations;
};

#define ENTRY_OPTS(st)                                                                                                 \
        OPT_A("annotation", 0, st, e.annotations, "set an annotation for the specified image"),                        \
                OPT("arch", 0, OPT_STRING, st, e.arch, "architecture", NULL,                                           \
                    "override the architecture of the specified image"),                                               \
                OPT_L("features", 0, st, e.features, "override the features of the specified image"),                  \
                OPT("os", 0, OPT_STRING, st, e.os, "OS", NULL, "override the OS of the specified image"),              \
                OPT("os-version", 0, OPT_STRING, st, e.os_version, "version", NULL,                                    \
                    "override the OS version of the specified image"),                                                 \
                OPT("variant", 0, OPT_STRING, st, e.variant, "Variant", NULL,                                          \
                    "override the Variant of the specified image")

static void entry_from(const struct entry_flags *f, struct cpod_manifest_entry_opts *o)
{
        o->arch = f->arch;
        o->os = f->os;
        o->variant = f->variant;
        o->os_version = f->os_version;
        o->features = (char *const *)f->features.v;
        o->os_features = (char *const *)f->os_features.v;
        o->annotations = (char *const *)f->annotations.v;
}

static int print_id(const char *id)
{
        printf("%s\n", id);
        return 0;
}

/* ---- create ---- */

struct create_opts {
        struct registry_flags reg;
        bool all, amend;
};

static const struct cli_opt create_opts[] = {
        OPT_B("all", 0, struct create_opts, all, "add all of the lists' images if the images to add are lists"),
        OPT_B("amend", 'a', struct create_opts, amend,
              "modify an existing list if one with the desired name already exists"),
        OPT_B("tls-verify", 0, struct create_opts, reg.tls_verify,
              "require HTTPS and verify certificates when accessing the registry (default true)"),
        OPT_END,
};

static int run_create(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct create_opts *o = opts;
        struct cpod_manifest_add_opts ao = { .reg = CPOD_REGISTRY_OPTS_INIT, .all = o->all };
        cpod_error_t err = CPOD_ERROR_INIT;
        char id[65];
        int r;

        if ((r = registry_flags_apply(ctx, &o->reg, &ao.reg)) != 0)
                return r;
        if (!cli_runtime(ctx, &err) || cpod_manifest_create(ctx->rt, argv[0], argv + 1, &ao, o->amend, id, &err) < 0)
                return cli_fail(&err);
        (void)argc;
        return print_id(id);
}

const struct cli_cmd cmd_manifest_create = {
        .name = "create",
        .use = "[options] LIST [IMAGE...]",
        .summary = "Create manifest list or image index",
        .description = "Creates manifest lists or image indexes.",
        .example = "cpod manifest create mylist:v1.11\ncpod manifest create mylist:v1.11 arch-specific-image-to-add",
        .opts = create_opts,
        .opts_size = sizeof(struct create_opts),
        .run = run_create,
        .min_args = 1,
        .max_args = -1,
};

/* ---- add ---- */

struct add_opts {
        struct registry_flags reg;
        struct entry_flags e;
        bool all;
};

static const struct cli_opt add_opts[] = {
        OPT_B("all", 0, struct add_opts, all, "add all of the list's images if the image is a list"),
        ENTRY_OPTS(struct add_opts),
        OPT_S("authfile", 0, struct add_opts, reg.authfile, NULL,
              "path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override"),
        OPT_S("cert-dir", 0, struct add_opts, reg.cert_dir, NULL,
              "use certificates at the specified path to access the registry"),
        OPT("creds", 0, OPT_STRING, struct add_opts, reg.creds, "[username[:password]]", NULL,
            "use [username[:password]] for accessing the registry"),
        OPT_B("tls-verify", 0, struct add_opts, reg.tls_verify,
              "require HTTPS and verify certificates when accessing the registry (default true)"),
        OPT_END,
};

static int run_add(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct add_opts *o = opts;
        struct cpod_manifest_add_opts ao = { .reg = CPOD_REGISTRY_OPTS_INIT, .all = o->all };
        cpod_error_t err = CPOD_ERROR_INIT;
        char id[65];
        int r;

        if ((r = registry_flags_apply(ctx, &o->reg, &ao.reg)) != 0)
                return r;
        entry_from(&o->e, &ao.entry);
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        for (int i = 1; i < argc; i++)
                if (cpod_manifest_add(ctx->rt, argv[0], argv[i], &ao, id, &err) < 0)
                        return cli_fail(&err);
        return print_id(id);
}

const struct cli_cmd cmd_manifest_add = {
        .name = "add",
        .use = "[options] LIST IMAGE [IMAGE...]",
        .summary = "Add images to a manifest list or image index",
        .description = "Adds an image to a manifest list or image index.",
        .example = "cpod manifest add mylist:v1.11 image:v1.11-amd64\n\t\tcpod manifest add mylist:v1.11 "
                   "transport:imageName",
        .opts = add_opts,
        .opts_size = sizeof(struct add_opts),
        .run = run_add,
        .min_args = 2,
        .max_args = -1,
};

/* ---- annotate ---- */

struct annotate_opts {
        struct entry_flags e;
};

static const struct cli_opt annotate_opts[] = {
        ENTRY_OPTS(struct annotate_opts),
        OPT_L("os-features", 0, struct annotate_opts, e.os_features, "override the OS features of the specified image"),
        OPT_END,
};

static int run_annotate(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct annotate_opts *o = opts;
        struct cpod_manifest_entry_opts eo = { 0 };
        cpod_error_t err = CPOD_ERROR_INIT;
        char id[65];

        entry_from(&o->e, &eo);
        (void)argc;
        if (!cli_runtime(ctx, &err) || cpod_manifest_annotate(ctx->rt, argv[0], argv[1], &eo, id, &err) < 0)
                return cli_fail(&err);
        return print_id(id);
}

const struct cli_cmd cmd_manifest_annotate = {
        .name = "annotate",
        .use = "[options] LIST IMAGE",
        .summary = "Add or update information about an entry in a manifest list or image index",
        .description = "Adds or updates information about an entry in a manifest list or image index.",
        .example = "cpod manifest annotate --annotation left=right mylist:v1.11 image:v1.11-amd64",
        .opts = annotate_opts,
        .opts_size = sizeof(struct annotate_opts),
        .run = run_annotate,
        .min_args = 2,
        .max_args = 2,
};

/* ---- inspect ---- */

struct inspect_opts {
        struct registry_flags reg;
};

static const struct cli_opt inspect_opts[] = {
        OPT_S("authfile", 0, struct inspect_opts, reg.authfile, NULL,
              "path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override"),
        OPT_B("tls-verify", 0, struct inspect_opts, reg.tls_verify,
              "require HTTPS and verify certificates when accessing the registry (default true)"),
        OPT_END,
};

static int run_inspect(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct inspect_opts *o = opts;
        struct cpod_registry_opts ro = CPOD_REGISTRY_OPTS_INIT;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *doc = NULL;
        char *s;
        int r;

        (void)argc;
        if ((r = registry_flags_apply(ctx, &o->reg, &ro)) != 0)
                return r;
        if (!cli_runtime(ctx, &err) || cpod_manifest_inspect(ctx->rt, argv[0], &ro, &doc, &err) < 0)
                return cli_fail(&err);
        /* as podman: an empty list shows "manifests": null */
        if (json_is_array(json_object_get(doc, "manifests")) && !json_array_size(json_object_get(doc, "manifests")))
                json_object_set_new(doc, "manifests", json_null());
        s = json_dumps(doc, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
        printf("%s\n", s ? s : "{}");
        free(s);
        return 0;
}

const struct cli_cmd cmd_manifest_inspect = {
        .name = "inspect",
        .use = "[options] IMAGE",
        .summary = "Display the contents of a manifest list or image index",
        .description = "Display the contents of a manifest list or image index.",
        .example = "cpod manifest inspect localhost/list",
        .opts = inspect_opts,
        .opts_size = sizeof(struct inspect_opts),
        .run = run_inspect,
        .min_args = 1,
        .max_args = 1,
};

/* ---- push ---- */

struct mpush_opts {
        struct registry_flags reg;
        const char *compression_format, *digestfile, *format, *sign_by, *sigstore_key, *sign_passphrase_file;
        bool all, quiet, remove_signatures, rm;
};

static const struct cli_opt mpush_opts[] = {
        OPT_B("all", 0, struct mpush_opts, all, "also push the images in the list (default true)"),
        OPT_S("authfile", 0, struct mpush_opts, reg.authfile, NULL,
              "path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override"),
        OPT_S("cert-dir", 0, struct mpush_opts, reg.cert_dir, NULL,
              "use certificates at the specified path to access the registry"),
        OPT_S("compression-format", 0, struct mpush_opts, compression_format, NULL, "compression format to use"),
        OPT("creds", 0, OPT_STRING, struct mpush_opts, reg.creds, "[username[:password]]", NULL,
            "use [username[:password]] for accessing the registry"),
        OPT_S("digestfile", 0, struct mpush_opts, digestfile, NULL,
              "after copying the image, write the digest of the resulting digest to the file"),
        OPT_S("format", 'f', struct mpush_opts, format, NULL,
              "manifest type (oci or v2s2) to attempt to use when pushing the manifest list (default is manifest "
              "type of source)"),
        OPT_B("quiet", 'q', struct mpush_opts, quiet, "don't output progress information when pushing lists"),
        OPT_B("remove-signatures", 0, struct mpush_opts, remove_signatures,
              "don't copy signatures when pushing images"),
        OPT_B("rm", 0, struct mpush_opts, rm, "remove the manifest list if push succeeds"),
        OPT("sign-by", 0, OPT_STRING, struct mpush_opts, sign_by, "FINGERPRINT", NULL,
            "sign the image using a GPG key with the specified FINGERPRINT"),
        OPT("sign-by-sigstore-private-key", 0, OPT_STRING, struct mpush_opts, sigstore_key, "PATH", NULL,
            "Sign the image using a sigstore private key at PATH"),
        OPT("sign-passphrase-file", 0, OPT_STRING, struct mpush_opts, sign_passphrase_file, "PATH", NULL,
            "Read a passphrase for signing an image from PATH"),
        OPT_B("tls-verify", 0, struct mpush_opts, reg.tls_verify,
              "require HTTPS and verify certificates when accessing the registry (default true)"),
        OPT_END,
};

static int run_mpush(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct mpush_opts *o = opts;
        struct cpod_manifest_push_opts mo = { .push.reg = CPOD_REGISTRY_OPTS_INIT, .rm = o->rm };
        struct cpod_pull_opts events = { 0 };
        struct pull_progress pp;
        cpod_error_t err = CPOD_ERROR_INIT;
        char digest[72];
        int r;

        if (o->sigstore_key)
                return cli_errorf("--sign-by-sigstore-private-key is not supported by cpod");
        if (o->sign_passphrase_file)
                return cli_errorf("--sign-passphrase-file is not supported by cpod (use a gpg-agent)");
        if ((r = registry_flags_apply(ctx, &o->reg, &mo.push.reg)) != 0)
                return r;
        mo.all = cli_changed(ctx, "all") ? o->all : true;
        mo.push.format = o->format && *o->format ? o->format : NULL;
        mo.push.compression = o->compression_format && *o->compression_format ? o->compression_format : NULL;
        mo.push.sign_by = o->sign_by && *o->sign_by ? o->sign_by : NULL;
        mo.push.remove_signatures = o->remove_signatures;
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        pull_progress_init(&pp, o->quiet);
        pull_progress_attach(&pp, &events);
        mo.push.event = events.event;
        mo.push.event_ud = events.event_ud;
        r = cpod_manifest_push(ctx->rt, argv[0], argc > 1 ? argv[1] : argv[0], &mo, digest, &err);
        pull_progress_release(&pp);
        if (r < 0)
                return cli_fail(&err);
        if (o->digestfile && *o->digestfile && write_file_atomic(o->digestfile, digest, strlen(digest), 0644, &err) < 0)
                return cli_fail(&err);
        return 0;
}

const struct cli_cmd cmd_manifest_push = {
        .name = "push",
        .use = "[options] LIST DESTINATION",
        .summary = "Push a manifest list or image index to a registry",
        .description = "Pushes manifest lists and image indexes to registries.",
        .example = "cpod manifest push mylist:v1.11 docker://quay.io/myuser/image:v1.11",
        .opts = mpush_opts,
        .opts_size = sizeof(struct mpush_opts),
        .run = run_mpush,
        .min_args = 1,
        .max_args = 2,
};

/* ---- remove, rm, exists ---- */

static int run_remove(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        char id[65];

        (void)opts;
        (void)argc;
        if (!cli_runtime(ctx, &err) || cpod_manifest_remove(ctx->rt, argv[0], argv[1], id, &err) < 0)
                return cli_fail(&err);
        return print_id(id);
}

const struct cli_cmd cmd_manifest_remove = {
        .name = "remove",
        .use = "LIST IMAGE",
        .summary = "Remove an entry from a manifest list or image index",
        .description = "Removes an image from a manifest list or image index.",
        .example = "cpod manifest remove mylist:v1.11 "
                   "sha256:15352d97781ffdf357bf3459c037be3efac4133dc9070c2dce7eca7c05c3e736",
        .run = run_remove,
        .min_args = 2,
        .max_args = 2,
};

static int run_rm(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        int rc = 0;

        (void)opts;
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        for (int i = 0; i < argc; i++) {
                _cleanup_json_ json_t *untagged = json_array(), *deleted = json_array();
                size_t k;
                json_t *v;
                int r = cpod_manifest_rm(ctx->rt, argv[i], untagged, deleted, &err);
                json_array_foreach(untagged, k, v)
                        printf("Untagged: %s\n", json_string_value(v));
                json_array_foreach(deleted, k, v)
                        printf("Deleted: %s\n", json_string_value(v));
                if (r < 0) {
                        rc = cli_fail(&err);
                        cpod_error_clear(&err);
                }
        }
        return rc;
}

const struct cli_cmd cmd_manifest_rm = {
        .name = "rm",
        .use = "LIST [LIST...]",
        .summary = "Remove manifest list or image index from local storage",
        .description = "Remove manifest list or image index from local storage.",
        .example = "cpod manifest rm mylist:v1.11",
        .run = run_rm,
        .min_args = 1,
        .max_args = -1,
};

static int run_exists(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        bool found = false;

        (void)opts;
        (void)argc;
        if (!cli_runtime(ctx, &err) || cpod_manifest_exists(ctx->rt, argv[0], &found, &err) < 0)
                return cli_fail(&err);
        return found ? 0 : 1;
}

const struct cli_cmd cmd_manifest_exists = {
        .name = "exists",
        .use = "MANIFEST",
        .summary = "Check if a manifest list exists in local storage",
        .description = "If the manifest list exists in local storage, cpod manifest exists exits with 0, otherwise "
                       "the exit code will be 1.",
        .example = "cpod manifest exists mylist",
        .run = run_exists,
        .min_args = 1,
        .max_args = 1,
};

const struct cli_cmd cmd_manifest = {
        .name = "manifest",
        .use = "[command]",
        .summary = "Manipulate manifest lists and image indexes",
        .description = "Creates, modifies, and pushes manifest lists and image indexes.",
        .example = "cpod manifest add mylist:v1.11 image:v1.11-amd64\ncpod manifest create localhost/list\n"
                   "cpod manifest inspect localhost/list",
        .subcmds = CMD_LIST(&cmd_manifest_add, &cmd_manifest_annotate, &cmd_manifest_create, &cmd_manifest_exists,
                            &cmd_manifest_inspect, &cmd_manifest_push, &cmd_manifest_remove, &cmd_manifest_rm),
};
