/* SPDX-License-Identifier: Apache-2.0 */
/* image trust set / show: the signature policy (containers-policy.json) per registry scope. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/image.h>

#include "cli/commands.h"
#include "cli/format.h"
#include "cli/output.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct trust_set_opts {
        struct strv pubkeysfile;
        const char *type, *policypath;
};

static const struct cli_opt trust_set_opts[] = {
        OPT_L("pubkeysfile", 'f', struct trust_set_opts, pubkeysfile,
              "Path of installed public key(s) to trust for TARGET. Absolute path to keys is added to policy.json. "
              "May used multiple times to define multiple public keys. File(s) must exist before using this command"),
        OPT_S("type", 't', struct trust_set_opts, type, "signedBy",
              "Trust type, accept values: signedBy(default), accept, reject, sigstoreSigned"),
        OPT_S("policypath", 0, struct trust_set_opts, policypath, NULL,
              "Path of the signature policy to change (default: the one pulls use)"),
        OPT_END,
};

static int run_trust_set(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct trust_set_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_strv_ char **keys = xnew0(char *, 1);

        (void)argc;
        for (size_t i = 0; i < o->pubkeysfile.n; i++)
                strv_add(&keys, o->pubkeysfile.v[i]);
        if (!cli_runtime(ctx, &err) || cpod_trust_set(ctx->rt, o->policypath, argv[0], o->type, keys, &err) < 0)
                return cli_fail(&err);
        return 0;
}

static const struct cli_cmd cmd_trust_set = {
        .name = "set",
        .use = "[options] REGISTRY",
        .summary = "Set default trust policy or a new trust policy for a registry",
        .description = "Set default trust policy or add a new trust policy for a registry",
        .opts = trust_set_opts,
        .opts_size = sizeof(struct trust_set_opts),
        .run = run_trust_set,
        .min_args = 1,
        .max_args = 1,
};

struct trust_show_opts {
        bool json, noheading, raw;
        const char *policypath, *registrypath;
};

static const struct cli_opt trust_show_opts[] = {
        OPT_B("json", 'j', struct trust_show_opts, json, "Output as json"),
        OPT_B("noheading", 'n', struct trust_show_opts, noheading, "Do not print column headings"),
        OPT_S("policypath", 0, struct trust_show_opts, policypath, NULL,
              "Path of the signature policy to show (default: the one pulls use)"),
        OPT_B("raw", 0, struct trust_show_opts, raw, "Output raw policy file"),
        OPT_S("registrypath", 0, struct trust_show_opts, registrypath, NULL,
              "Path of the registries.d directory (default: the one pulls use)"),
        OPT_END,
};

static const struct fmt_header trust_headers[] = {
        { "Transport", "TRANSPORT" },  { "RepoName", "NAME" }, { "Type", "TYPE" }, { "GPGId", "ID" },
        { "SignatureStore", "STORE" }, { NULL, NULL },
};

static int run_trust_show(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct trust_show_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *rows = NULL, *table = json_array();
        json_t *r;
        size_t i;

        (void)argc;
        (void)argv; /* as podman: a REGISTRY argument does not narrow the listing */
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        if (o->raw) {
                _cleanup_free_ char *text = NULL,
                                    *path = o->policypath ? xstrdup(o->policypath) : cpod_trust_policy_path(ctx->rt);
                size_t len;
                if (read_file(path, &text, &len, 1 << 20, &err) < 0)
                        return cli_fail(&err);
                fwrite(text, 1, len, stdout);
                return 0;
        }
        if (cpod_trust_show(ctx->rt, o->policypath, o->registrypath, &rows, &err) < 0)
                return cli_fail(&err);
        if (o->json) {
                cli_print_json(stdout, rows);
                return 0;
        }
        json_array_foreach(rows, i, r)
                json_array_append_new(
                        table, json_pack("{s:s, s:s, s:s, s:s, s:s}", "Transport", json_get_str(r, "transport"),
                                         "RepoName", json_get_str(r, "repo_name") ? json_get_str(r, "repo_name") : "",
                                         "Type", json_get_str(r, "type"), "GPGId",
                                         json_get_str(r, "gpg_id") ? json_get_str(r, "gpg_id") : "", "SignatureStore",
                                         json_get_str(r, "sigstore") ? json_get_str(r, "sigstore") : ""));
        if (cli_print_list_opts(stdout, NULL,
                                "table {{.Transport}}\t{{.RepoName}}\t{{.Type}}\t{{.GPGId}}\t{{.SignatureStore}}",
                                trust_headers, table, rows, o->noheading, &err) < 0)
                return cli_fail(&err);
        return 0;
}

static const struct cli_cmd cmd_trust_show = {
        .name = "show",
        .use = "[options] [REGISTRY]",
        .summary = "Display trust policy for the system",
        .description = "Display trust policy for the system",
        .opts = trust_show_opts,
        .opts_size = sizeof(struct trust_show_opts),
        .run = run_trust_show,
        .max_args = 1,
};

const struct cli_cmd cmd_image_trust = {
        .name = "trust",
        .use = "[command]",
        .summary = "Manage container image trust policy",
        .description = "Manages which registries you trust as a source of container images based on their location.",
        .subcmds = CMD_LIST(&cmd_trust_set, &cmd_trust_show),
};
