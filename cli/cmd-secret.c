/* SPDX-License-Identifier: Apache-2.0 */
/* secret create, ls, inspect, rm, exists. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/secret.h>

#include "cli/commands.h"
#include "cli/ctr-params.h"
#include "cli/format.h"
#include "cli/output.h"
#include "util/cleanup.h"
#include "util/human.h"
#include "util/json.h"
#include "util/xalloc.h"

/* ---- create ---- */

struct secret_create_opts {
        const char *driver;
        struct strv label;
        bool env;
};

static const struct cli_opt secret_create_opts[] = {
        OPT_S("driver", 'd', struct secret_create_opts, driver, "file", "Specify secret driver"),
        OPT_B("env", 0, struct secret_create_opts, env, "Read secret data from environment variable"),
        OPT_A("label", 'l', struct secret_create_opts, label, "Specify labels on the secret"),
        OPT_END,
};

/*
 * At most CPOD_SECRET_MAX_SIZE bytes: a source that has that many is too large whatever follows,
 * and libcpod says so without reading the rest.
 */
static int read_capped(int fd, const char *what, char **ret, size_t *ret_len)
{
        char *buf = xmalloc(CPOD_SECRET_MAX_SIZE + 1);
        size_t len = 0;

        while (len < CPOD_SECRET_MAX_SIZE) {
                ssize_t n = read(fd, buf + len, CPOD_SECRET_MAX_SIZE - len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        int e = errno;
                        free(buf);
                        return cli_errorf("read %s: %s", what, strerror(e));
                }
                if (n == 0)
                        break;
                len += (size_t)n;
        }
        *ret = buf;
        *ret_len = len;
        return 0;
}

/* FILE, "-" (stdin, which must not be a terminal) or, with --env, an environment variable's value. */
static int secret_input(const char *src, bool env, char **ret, size_t *ret_len)
{
        _cleanup_close_ int fd = -1;

        if (env) {
                const char *v = getenv(src);
                if (!v || !*v)
                        return cli_errorf("cannot create store secret data: environment variable %s is not set", src);
                *ret = xstrdup(v);
                *ret_len = strlen(v);
                return 0;
        }
        if (strcmp(src, "-") == 0 || strcmp(src, "/dev/stdin") == 0) {
                if (isatty(STDIN_FILENO))
                        return cli_errorf("if `-` is used, data must be passed into stdin");
                return read_capped(STDIN_FILENO, "stdin", ret, ret_len);
        }
        if ((fd = open(src, O_RDONLY | O_CLOEXEC)) < 0) {
                const char *m = strerror(errno); /* Go's wording: "open FILE: no such file or directory" */
                return cli_errorf("open %s: %c%s", src, tolower((unsigned char)m[0]), m + 1);
        }
        return read_capped(fd, src, ret, ret_len);
}

static int run_secret_create(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct secret_create_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *labels = NULL;
        _cleanup_free_ char *data = NULL;
        char id[CPOD_SECRET_ID_LEN + 1];
        size_t len = 0;
        int r;

        (void)argc;
        if ((r = cli_labels(&(struct strv){ 0 }, &o->label, &labels)) ||
            (r = secret_input(argv[1], o->env, &data, &len)))
                return r;
        if (!cli_runtime(ctx, &err) ||
            cpod_secret_create(ctx->rt, argv[0], data, len,
                               &(struct cpod_secret_create_opts){ .driver = o->driver, .labels = labels }, id,
                               &err) < 0)
                r = cli_fail(&err);
        else
                printf("%s\n", id);
        if (data)
                explicit_bzero(data, len);
        return r;
}

static const struct cli_cmd cmd_secret_create = {
        .name = "create",
        .use = "[options] NAME FILE|-",
        .summary = "Create a new secret",
        .description = "Create a secret. Input can be a path to a file or \"-\" (read from stdin). Default driver is "
                       "file (unencrypted).",
        .opts = secret_create_opts,
        .opts_size = sizeof(struct secret_create_opts),
        .run = run_secret_create,
        .min_args = 2,
        .max_args = 2,
};

/* ---- ls ---- */

struct secret_ls_opts {
        struct strv filter;
        const char *format;
        bool noheading, quiet;
};

static const struct cli_opt secret_ls_opts[] = {
        OPT_A("filter", 'f', struct secret_ls_opts, filter, "Filter secret output"),
        OPT_S("format", 0, struct secret_ls_opts, format, NULL, "Format volume output using Go template"),
        OPT_B("noheading", 0, struct secret_ls_opts, noheading, "Do not print headers"),
        OPT_B("quiet", 'q', struct secret_ls_opts, quiet, "Print secret IDs only"),
        OPT_END,
};

static const struct fmt_header secret_headers[] = {
        { "ID", "ID" },
        { "Name", "NAME" },
        { "Driver", "DRIVER" },
        { "CreatedAt", "CREATED" },
        { "UpdatedAt", "UPDATED" },
        { NULL, NULL },
};

/* podman matches name= and id= as regular expressions anywhere in the value (POSIX extended here). */
static bool name_match(const char *re, const char *s)
{
        regex_t r;
        bool m;

        if (regcomp(&r, re, REG_EXTENDED | REG_NOSUB) != 0)
                return strstr(s, re) != NULL;
        m = regexec(&r, s, 0, NULL, 0) == 0;
        regfree(&r);
        return m;
}

/* Filters with one key match when any of their values does; different keys must all match. */
static int filter_match(const struct strv *filters, const json_t *rep, bool *ret)
{
        for (size_t i = 0; i < filters->n; i++) {
                const char *f = filters->v[i];
                size_t kl = strcspn(f, "=");
                bool any = false;
                if (!f[kl] || !((kl == 4 && strncmp(f, "name", 4) == 0) || (kl == 2 && strncmp(f, "id", 2) == 0)))
                        return cli_errorf("invalid filter \"%.*s\"", (int)kl, f);
                for (size_t j = 0; j < filters->n && !any; j++) {
                        const char *g = filters->v[j];
                        if (strncmp(g, f, kl + 1) != 0)
                                continue;
                        any = name_match(g + kl + 1, kl == 2 ? json_get_str(rep, "ID")
                                                             : json_get_str(json_object_get(rep, "Spec"), "Name"));
                }
                if (!any) {
                        *ret = false;
                        return 0;
                }
        }
        *ret = true;
        return 0;
}

static json_t *ls_row(const json_t *rep)
{
        int64_t sec = 0;
        long ns = 0;

        (void)time_parse_rfc3339(json_get_str(rep, "CreatedAt"), &sec, &ns);
        return json_pack("{s:s, s:s, s:s, s:o, s:o}", "ID", json_get_str(rep, "ID"), "Name",
                         json_get_str(json_object_get(rep, "Spec"), "Name"), "Driver",
                         json_get_str(json_path((json_t *)rep, "Spec.Driver"), "Name"), "CreatedAt",
                         json_string_take(human_since(sec)), "UpdatedAt", json_string_take(human_since(sec)));
}

static int run_secret_ls(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct secret_ls_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *all = NULL, *rows = json_array();
        json_t *rep;
        size_t i;
        int r;

        (void)argc;
        (void)argv;
        if (!cli_runtime(ctx, &err) || cpod_secret_list(ctx->rt, &all, &err) < 0)
                return cli_fail(&err);
        json_array_foreach(all, i, rep) {
                bool ok = false;
                if ((r = filter_match(&o->filter, rep, &ok)))
                        return r;
                if (ok)
                        json_array_append_new(rows, ls_row(rep));
        }
        if (o->quiet && !o->format) {
                json_array_foreach(rows, i, rep)
                        printf("%s\n", json_get_str(rep, "ID"));
                return 0;
        }
        if (cli_print_list_opts(stdout, o->format,
                                "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.CreatedAt}}\t{{.UpdatedAt}}", secret_headers,
                                rows, rows, o->noheading, &err) < 0)
                return cli_fail(&err);
        return 0;
}

static const struct cli_cmd cmd_secret_ls = {
        .name = "ls",
        .aliases = (const char *const[]){ "list", NULL },
        .use = "[options]",
        .summary = "List secrets",
        .description = "List secrets",
        .opts = secret_ls_opts,
        .opts_size = sizeof(struct secret_ls_opts),
        .run = run_secret_ls,
        .max_args = 0,
};

/* ---- inspect, exists ---- */

struct secret_inspect_opts {
        const char *format;
        bool pretty;
};

static const struct cli_opt secret_inspect_opts[] = {
        OPT_S("format", 'f', struct secret_inspect_opts, format, NULL, "Format inspect output using Go template"),
        OPT_B("pretty", 0, struct secret_inspect_opts, pretty, "Print inspect output in human-readable format"),
        OPT_END,
};

static const char pretty_template[] = "ID:              {{.ID}}\n"
                                      "Name:              {{.Spec.Name}}\n"
                                      "{{- if .Spec.Labels }}\nLabels:\n"
                                      "{{- range $k, $v := .Spec.Labels }}\n - {{ $k }}{{if $v }}={{ $v }}{{ end }}\n"
                                      "{{- end }}{{ end }}\n"
                                      "Driver:            {{.Spec.Driver.Name}}\n"
                                      "Created at:        {{.CreatedAt}}\n"
                                      "Updated at:        {{.UpdatedAt}}";

static int run_secret_inspect(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct secret_inspect_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT, first = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *all = json_array();
        const char *format = o->pretty ? pretty_template : o->format;
        int rc = 0;

        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        for (int i = 0; i < argc; i++) {
                json_t *rep;
                if (cpod_secret_inspect(ctx->rt, argv[i], &rep, &err) == 0) {
                        json_array_append_new(all, rep);
                } else if (first.kind == CPOD_E_NONE) {
                        cpod_error_move(&first, &err);
                } else {
                        fprintf(stderr, "error inspecting secret: %s\n", cpod_error_msg(&err));
                        cpod_error_clear(&err);
                }
        }
        /* the secrets found are printed before the error, as podman does */
        if (cli_print_inspect(stdout, format, all, &err) < 0)
                rc = cli_fail(&err);
        if (first.kind != CPOD_E_NONE) {
                (void)cpod_error_wrap(&first, "inspecting secret");
                rc = cli_fail(&first);
        }
        return rc;
}

static const struct cli_cmd cmd_secret_inspect = {
        .name = "inspect",
        .use = "[options] SECRET [SECRET...]",
        .summary = "Inspect a secret",
        .description = "Display detail information on one or more secrets",
        .opts = secret_inspect_opts,
        .opts_size = sizeof(struct secret_inspect_opts),
        .run = run_secret_inspect,
        .min_args = 1,
        .max_args = -1,
        .complete_args = "secrets",
};

static int run_secret_exists(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *rep = NULL;

        (void)opts;
        (void)argc;
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        return cli_exists_rc(cpod_secret_inspect(ctx->rt, argv[0], &rep, &err), &err, CPOD_E_NO_SUCH_OBJECT);
}

static const struct cli_cmd cmd_secret_exists = {
        .name = "exists",
        .use = "SECRET",
        .summary = "Check if a secret exists in local storage",
        .description = "If a secret with the given name or ID exists, cpod secret exists exits with 0, otherwise "
                       "with 1.",
        .run = run_secret_exists,
        .min_args = 1,
        .max_args = 1,
        .complete_args = "secrets",
};

/* ---- rm ---- */

static const struct cli_opt secret_rm_opts[] = {
        { "all", 'a', OPT_BOOL, 0, NULL, "Remove all secrets", NULL, 0 },
        OPT_END,
};

static int remove_one(struct cli_ctx *ctx, const char *name, int *rc)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        char id[CPOD_SECRET_ID_LEN + 1];

        if (cpod_secret_remove(ctx->rt, name, id, &err) < 0)
                *rc = cli_fail(&err);
        else
                printf("%s\n", id);
        return *rc;
}

static int run_secret_rm(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        bool all = *(bool *)opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *list = NULL;
        json_t *rep;
        size_t i;
        int rc = 0;

        if (all == (argc > 0))
                return cli_errorf("`secret rm` requires one argument, or the --all flag");
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        for (int k = 0; k < argc; k++)
                (void)remove_one(ctx, argv[k], &rc);
        if (all) {
                if (cpod_secret_list(ctx->rt, &list, &err) < 0)
                        return cli_fail(&err);
                json_array_foreach(list, i, rep)
                        (void)remove_one(ctx, json_get_str(rep, "ID"), &rc);
        }
        return rc;
}

static const struct cli_cmd cmd_secret_rm = {
        .name = "rm",
        .use = "[options] SECRET [SECRET...]",
        .summary = "Remove one or more secrets",
        .description = "Remove one or more secrets",
        .opts = secret_rm_opts,
        .opts_size = sizeof(bool),
        .run = run_secret_rm,
        .max_args = -1,
        .complete_args = "secrets",
};

const struct cli_cmd cmd_secret = {
        .name = "secret",
        .use = "[command]",
        .summary = "Manage secrets",
        .description = "Manage secrets",
        .subcmds =
                CMD_LIST(&cmd_secret_create, &cmd_secret_exists, &cmd_secret_inspect, &cmd_secret_ls, &cmd_secret_rm),
};
