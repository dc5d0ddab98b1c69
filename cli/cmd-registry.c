/* SPDX-License-Identifier: Apache-2.0 */
/* pull, login, logout, search. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <cpod/registry.h>

#include "cli/commands.h"
#include "cli/format.h"
#include "cli/pull-progress.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define REGISTRY_OPTS(st)                                                                                              \
        OPT_S("authfile", 0, st, reg.authfile, NULL,                                                                   \
              "Path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override"),             \
                OPT("cert-dir", 0, OPT_STRING, st, reg.cert_dir, "Pathname", NULL,                                     \
                    "Pathname of a directory containing TLS certificates and keys"),                                   \
                OPT_B("tls-verify", 0, st, reg.tls_verify,                                                             \
                      "Require HTTPS and verify certificates when contacting registries (default true)")

/* ---- pull ---- */

struct pull_opts {
        struct registry_flags reg;
        bool all_tags, quiet, disable_content_trust;
        const char *arch, *os, *variant, *platform, *signature_policy;
};

static const struct cli_opt pull_opts[] = {
        OPT_B("all-tags", 'a', struct pull_opts, all_tags, "All tagged images in the repository will be pulled"),
        OPT("arch", 0, OPT_STRING, struct pull_opts, arch, "ARCH", NULL,
            "Use ARCH instead of the architecture of the machine for choosing images"),
        REGISTRY_OPTS(struct pull_opts),
        OPT("creds", 0, OPT_STRING, struct pull_opts, reg.creds, "Credentials", NULL,
            "Credentials (USERNAME:PASSWORD) to use for authenticating to a registry"),
        OPT_B("disable-content-trust", 0, struct pull_opts, disable_content_trust,
              "This is a Docker specific option and is a NOOP"),
        OPT("os", 0, OPT_STRING, struct pull_opts, os, "OS", NULL,
            "Use OS instead of the running OS for choosing images"),
        OPT_S("platform", 0, struct pull_opts, platform, NULL,
              "Specify the platform for selecting the image.  (Conflicts with arch and os)"),
        OPT_B("quiet", 'q', struct pull_opts, quiet, "Suppress output information when pulling images"),
        OPT_S("signature-policy", 0, struct pull_opts, signature_policy, NULL,
              "Path to a signature-policy file (instead of the default policy.json)"),
        OPT_U("retry", 0, struct pull_opts, reg.retry, "3",
              "number of times to retry in case of failure when performing pull"),
        OPT_S("retry-delay", 0, struct pull_opts, reg.retry_delay, NULL,
              "delay between retries in case of pull failures"),
        OPT_S("variant", 0, struct pull_opts, variant, NULL,
              "Use VARIANT instead of the running architecture variant for choosing images"),
        OPT_END,
};

static int run_pull(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct pull_opts *o = opts;
        struct cpod_pull_opts po = { .reg = CPOD_REGISTRY_OPTS_INIT };
        struct pull_progress pp;
        cpod_error_t err = CPOD_ERROR_INIT;
        char *plat[3] = { NULL, NULL, NULL };
        int r = 0;

        if ((r = cli_platform_split(o->platform, &o->os, &o->arch, &o->variant, plat)) != 0)
                return r;
        if ((r = registry_flags_apply(ctx, &o->reg, &po.reg)) != 0)
                goto out;
        po.os = o->os;
        po.arch = o->arch;
        po.variant = o->variant;
        po.all_tags = o->all_tags;
        if (!cli_runtime(ctx, &err)) {
                r = cli_fail(&err);
                goto out;
        }
        if (o->signature_policy)
                cpod_runtime_set_signature_policy(ctx->rt, o->signature_policy);
        pull_progress_init(&pp, o->quiet);
        pull_progress_attach(&pp, &po);
        for (int i = 0; i < argc && r == 0; i++) {
                _cleanup_json_ json_t *ids = NULL;
                size_t k;
                json_t *id;
                if (cpod_image_pull(ctx->rt, argv[i], &po, &ids, &err) < 0) {
                        r = cli_fail(&err);
                        break;
                }
                json_array_foreach(ids, k, id)
                        printf("%s\n", json_string_value(id));
                fflush(stdout);
        }
        pull_progress_release(&pp);
out:
        for (int i = 0; i < 3; i++)
                free(plat[i]);
        return r;
}

const struct cli_cmd cmd_pull = {
        .name = "pull",
        .use = "[options] IMAGE [IMAGE...]",
        .summary = "Pull an image from a registry",
        .description = "Pulls an image from a registry and stores it locally.\n\n  An image can be pulled by tag or "
                       "digest. If a tag is not specified, the image with the 'latest' tag is pulled.",
        .example = "cpod pull imageName\ncpod pull fedora:latest",
        .opts = pull_opts,
        .opts_size = sizeof(struct pull_opts),
        .run = run_pull,
        .min_args = 1,
        .max_args = -1,
};

/* ---- login ---- */

struct login_opts {
        struct registry_flags reg;
        const char *username, *password;
        bool password_stdin, get_login, verbose;
};

static const struct cli_opt login_opts[] = {
        OPT_S("authfile", 0, struct login_opts, reg.authfile, NULL,
              "path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override"),
        OPT_S("cert-dir", 0, struct login_opts, reg.cert_dir, NULL,
              "use certificates at the specified path to access the registry"),
        OPT_B("get-login", 0, struct login_opts, get_login, "Return the current login user for the registry"),
        OPT_S("password", 'p', struct login_opts, password, NULL, "Password for registry"),
        OPT_B("password-stdin", 0, struct login_opts, password_stdin, "Take the password from stdin"),
        OPT_B("tls-verify", 0, struct login_opts, reg.tls_verify,
              "Require HTTPS and verify certificates when contacting registries"),
        OPT_S("username", 'u', struct login_opts, username, NULL, "Username for registry"),
        OPT_B("verbose", 'v', struct login_opts, verbose, "Write more detailed information to stdout"),
        OPT_END,
};

static char *read_line(FILE *in)
{
        struct strbuf sb = STRBUF_INIT;
        int c;

        while ((c = fgetc(in)) != EOF && c != '\n')
                strbuf_addch(&sb, c);
        if (c == EOF && sb.len == 0) {
                strbuf_release(&sb);
                return NULL;
        }
        strbuf_rtrim(&sb);
        return strbuf_detach(&sb, NULL);
}

static char *prompt(const char *what, bool secret)
{
        struct termios old, quiet;
        bool tty = secret && isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
        char *line;

        fprintf(stderr, "%s: ", what);
        fflush(stderr);
        if (tty) {
                quiet = old;
                quiet.c_lflag &= ~(tcflag_t)ECHO;
                (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        }
        line = read_line(stdin);
        if (tty) {
                (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
                fprintf(stderr, "\n");
        }
        return line;
}

static int run_login(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct login_opts *o = opts;
        struct cpod_login_opts lo = { .reg = CPOD_REGISTRY_OPTS_INIT };
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_free_ char *user = NULL, *pass = NULL;
        const char *reg = argc ? argv[0] : NULL;
        int r;

        if ((r = registry_flags_apply(ctx, &o->reg, &lo.reg)) != 0)
                return r;
        if (o->get_login) {
                _cleanup_free_ char *who = NULL;
                if (cpod_registry_get_login(reg, lo.reg.authfile, &who, &err) < 0)
                        return cli_fail(&err);
                printf("%s\n", who);
                return 0;
        }
        if (o->password_stdin && o->password)
                return cli_errorf("can't specify both --password-stdin and --password");
        if (o->password_stdin && !o->username)
                return cli_errorf("must provide --username with --password-stdin");
        user = xstrdup(o->username);
        if (o->password_stdin) {
                pass = read_line(stdin);
        } else if (o->password) {
                pass = xstrdup(o->password);
        }
        if (!user || !*user) {
                free(user);
                if (!(user = prompt("Username", false)) || !*user)
                        return cli_errorf("username is required");
        }
        if (!pass || !*pass) {
                free(pass);
                if (!(pass = prompt("Password", true)) || !*pass)
                        return cli_errorf("password is required");
        }
        lo.username = user;
        lo.password = pass;
        r = cpod_registry_login(reg, &lo, &err);
        explicit_bzero(pass, strlen(pass));
        if (r < 0)
                return cli_fail(&err);
        printf("Login Succeeded!\n");
        return 0;
}

const struct cli_cmd cmd_login = {
        .name = "login",
        .use = "[options] [REGISTRY]",
        .summary = "Login to a container registry",
        .description = "Login to a container registry on a specified server.",
        .example = "cpod login quay.io\ncpod login --username ... --password ... quay.io\n"
                   "cpod login --authfile dir/auth.json quay.io",
        .opts = login_opts,
        .opts_size = sizeof(struct login_opts),
        .run = run_login,
        .max_args = 1,
};

/* ---- logout ---- */

struct logout_opts {
        struct registry_flags reg;
        bool all;
};

static const struct cli_opt logout_opts[] = {
        OPT_B("all", 'a', struct logout_opts, all, "Remove the cached credentials for all registries in the auth file"),
        OPT_S("authfile", 0, struct logout_opts, reg.authfile, NULL,
              "path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override"),
        OPT_END,
};

static int run_logout(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct logout_opts *o = opts;
        struct cpod_registry_opts ro = CPOD_REGISTRY_OPTS_INIT;
        cpod_error_t err = CPOD_ERROR_INIT;
        int r;

        if ((r = registry_flags_apply(ctx, &o->reg, &ro)) != 0)
                return r;
        if (o->all && argc)
                return cli_errorf("--all takes no arguments");
        if (!o->all && !argc)
                return cli_errorf("registry must be given");
        if (cpod_registry_logout(o->all ? NULL : argv[0], ro.authfile, &err) < 0)
                return cli_fail(&err);
        if (o->all)
                printf("Removed login credentials for all registries\n");
        else
                printf("Removed login credentials for %s\n", argv[0]);
        return 0;
}

const struct cli_cmd cmd_logout = {
        .name = "logout",
        .use = "[options] REGISTRY",
        .summary = "Logout of a container registry",
        .description = "Remove the cached username and password for the registry.",
        .example = "cpod logout quay.io\ncpod logout --authfile dir/auth.json quay.io\ncpod logout --all",
        .opts = logout_opts,
        .opts_size = sizeof(struct logout_opts),
        .run = run_logout,
        .max_args = 1,
};

/* ---- search ---- */

struct search_opts {
        struct registry_flags reg;
        struct strv filter;
        const char *format;
        long limit;
        bool list_tags, no_trunc, compatible;
};

static const struct cli_opt search_opts[] = {
        OPT_S("authfile", 0, struct search_opts, reg.authfile, NULL,
              "Path of the authentication file. Use REGISTRY_AUTH_FILE environment variable to override"),
        OPT_S("cert-dir", 0, struct search_opts, reg.cert_dir, NULL,
              "Pathname of a directory containing TLS certificates and keys"),
        OPT_B("compatible", 0, struct search_opts, compatible,
              "List stars, official and automated columns (Docker compatibility)"),
        OPT_S("creds", 0, struct search_opts, reg.creds, NULL,
              "Credentials (USERNAME:PASSWORD) to use for authenticating to a registry"),
        OPT_L("filter", 'f', struct search_opts, filter, "Filter output based on conditions provided (default [])"),
        OPT_S("format", 0, struct search_opts, format, NULL, "Change the output format to JSON or a Go template"),
        OPT_I("limit", 0, struct search_opts, limit, NULL, "Limit the number of results"),
        OPT_B("list-tags", 0, struct search_opts, list_tags, "List the tags of the input registry"),
        OPT_B("no-trunc", 0, struct search_opts, no_trunc, "Do not truncate the output"),
        OPT_B("tls-verify", 0, struct search_opts, reg.tls_verify,
              "Require HTTPS and verify certificates when contacting registries (default true)"),
        OPT_END,
};

static const struct fmt_header search_headers[] = {
        { "Name", "NAME" },
        { "Description", "DESCRIPTION" },
        { "Stars", "STARS" },
        { "Official", "OFFICIAL" },
        { "Automated", "AUTOMATED" },
        { "Index", "INDEX" },
        { "Tag", "TAG" },
        { NULL, NULL },
};

/* stars=N, is-official=BOOL, is-automated=BOOL over the rows (catalog rows have none of these). */
static int apply_filters(const struct strv *f, json_t *rows)
{
        for (size_t i = 0; i < f->n; i++) {
                const char *eq = strchr(f->v[i], '=');
                size_t k;
                if (!eq)
                        return cli_errorf("invalid filter syntax \"%s\"", f->v[i]);
                if (strncmp(f->v[i], "stars=", 6) == 0) {
                        long n = strtol(eq + 1, NULL, 10);
                        for (k = json_array_size(rows); k-- > 0;)
                                if (json_get_int(json_array_get(rows, k), "Stars", 0) < n)
                                        json_array_remove(rows, k);
                } else if (strncmp(f->v[i], "is-official=", 12) == 0 || strncmp(f->v[i], "is-automated=", 13) == 0) {
                        bool want = strcmp(eq + 1, "true") == 0;
                        const char *key = f->v[i][3] == 'o' ? "Official" : "Automated";
                        for (k = json_array_size(rows); k-- > 0;) {
                                const char *v = json_get_str(json_array_get(rows, k), key);
                                bool have = v && strcmp(v, "[OK]") == 0;
                                if (have != want)
                                        json_array_remove(rows, k);
                        }
                } else {
                        return cli_errorf("invalid filter type \"%.*s\"", (int)(eq - f->v[i]), f->v[i]);
                }
        }
        return 0;
}

/* --list-tags rows: one per tag, as podman prints them. */
static json_t *tag_rows(json_t *res)
{
        json_t *rows = json_array(), *e, *t;
        size_t i, j;

        json_array_foreach(res, i, e)
                json_array_foreach(json_object_get(e, "Tags"), j, t)
                        json_array_append_new(rows,
                                              json_pack("{s:O, s:O}", "Name", json_object_get(e, "Name"), "Tag", t));
        return rows;
}

static int run_search(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct search_opts *o = opts;
        struct cpod_search_opts so = { .reg = CPOD_REGISTRY_OPTS_INIT };
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *res = NULL, *rows = NULL;
        const char *deffmt;
        int r;

        (void)argc;
        if ((r = registry_flags_apply(ctx, &o->reg, &so.reg)) != 0)
                return r;
        if (o->list_tags && o->filter.n)
                return cli_errorf("filters are not applicable to list tags result");
        so.limit = (int)o->limit;
        so.list_tags = o->list_tags;
        if (cpod_registry_search(argv[0], &so, &res, &err) < 0)
                return cli_fail(&err);
        if (o->list_tags) {
                rows = tag_rows(res);
                deffmt = "table {{.Name}}\t{{.Tag}}";
                if (cli_print_list(stdout, o->format, deffmt, search_headers, rows, res, &err) < 0)
                        return cli_fail(&err);
                return 0;
        }
        if ((r = apply_filters(&o->filter, res)) != 0)
                return r;
        deffmt = o->compatible ? "table {{.Name}}\t{{.Description}}\t{{.Stars}}\t{{.Official}}\t{{.Automated}}"
                               : "table {{.Name}}\t{{.Description}}";
        if (cli_print_list(stdout, o->format, deffmt, search_headers, res, res, &err) < 0)
                return cli_fail(&err);
        return 0;
}

const struct cli_cmd cmd_search = {
        .name = "search",
        .use = "[options] TERM",
        .summary = "Search registry for image",
        .description = "Search registries for a given image. Can search all the default registries or a specific "
                       "registry.\n\n\tUsers can limit the number of results, and filter the output based on "
                       "certain conditions.",
        .example = "cpod search --limit 3 busybox\ncpod search registry.fedoraproject.org/  # only works with v2 "
                   "registries\ncpod search --format \"table {{.Index}} {{.Name}}\" "
                   "registry.fedoraproject.org/fedora",
        .opts = search_opts,
        .opts_size = sizeof(struct search_opts),
        .run = run_search,
        .min_args = 1,
        .max_args = 1,
};
