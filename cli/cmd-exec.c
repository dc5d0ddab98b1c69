/* SPDX-License-Identifier: Apache-2.0 */
/* cpod exec */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/container.h>

#include "cli/commands.h"
#include "cli/env.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "format/tabwriter.h"
#include "util/strv.h"
#include "util/xalloc.h"

extern char **environ;

struct exec_opts {
        bool detach, interactive, tty, privileged, latest;
        struct strv env, env_file;
        const char *user, *workdir, *detach_keys;
        unsigned long preserve_fds;
};

static const struct cli_opt exec_opts[] = {
        OPT_B("detach", 'd', struct exec_opts, detach, "Run the exec session in detached mode (backgrounded)"),
        OPT_S("detach-keys", 0, struct exec_opts, detach_keys, "ctrl-p,ctrl-q",
              "Select the key sequence for detaching a container."),
        OPT_A("env", 'e', struct exec_opts, env, "Set environment variables"),
        OPT_A("env-file", 0, struct exec_opts, env_file, "Read in a file of environment variables"),
        OPT_B("interactive", 'i', struct exec_opts, interactive, "Keep STDIN open even if not attached"),
        OPT_B("latest", 'l', struct exec_opts, latest, "Act on the latest container cpod is aware of"),
        OPT_U("preserve-fds", 0, struct exec_opts, preserve_fds, "0",
              "Pass N additional file descriptors to the container"),
        OPT_B("privileged", 0, struct exec_opts, privileged,
              "Give the process extended Linux capabilities inside the container.  The default is false"),
        OPT_B("tty", 't', struct exec_opts, tty, "Allocate a pseudo-TTY. The default is false"),
        OPT_S("user", 'u', struct exec_opts, user, NULL,
              "Sets the username or UID used and optionally the groupname or GID for the specified command"),
        OPT_S("workdir", 'w', struct exec_opts, workdir, NULL, "Working directory inside the container"),
        OPT_END,
};

static int run_exec(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct exec_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_strv_ char **env = NULL;
        struct cpod_exec_opts eo = { .argv = argv + 1,
                                     .user = o->user,
                                     .workdir = o->workdir,
                                     .tty = o->tty,
                                     .detach = o->detach,
                                     .privileged = o->privileged,
                                     .preserve_fds = (int)o->preserve_fds };
        struct cpod_attach_streams s = { .in = o->interactive ? STDIN_FILENO : -1,
                                         .out = STDOUT_FILENO,
                                         .err = STDERR_FILENO,
                                         .tty = o->tty,
                                         .detach_keys = o->detach_keys };
        char sid[65];
        int code = 0, r;

        if (argc < 2)
                return cli_errorf("must provide a non-empty command to start an exec session: invalid argument");
        if ((r = cli_env_collect(&o->env_file, &o->env, false, &env)))
                return r;
        eo.env = env;
        if (!cli_runtime(ctx, &err) || cpod_ctr_exec(ctx->rt, argv[0], &eo, &s, &code, sid, &err) < 0)
                return cli_fail(&err);
        if (o->detach) {
                printf("%s\n", sid);
                return 0;
        }
        return code;
}

const struct cli_cmd cmd_exec = {
        .name = "exec",
        .latest = CLI_LATEST_PREPENDS,
        .use = "[options] CONTAINER COMMAND [ARG...]",
        .summary = "Run a process in a running container",
        .description = "Execute the specified command inside a running container.",
        .example = "cpod exec -it ctrID ls\ncpod exec -it -w /tmp myCtr pwd\ncpod exec --user root ctrID ls",
        .opts = exec_opts,
        .opts_size = sizeof(struct exec_opts),
        .run = run_exec,
        .min_args = 1,
        .max_args = -1,
        .no_interspersed = true,
        .complete_args = "containers",
};

char **cli_split_descriptors(int argc, char **argv)
{
        char **v = xnew0(char *, 1);

        for (int i = 0; i < argc; i++) {
                _cleanup_strv_ char **parts = strv_split(argv[i], ", ");
                for (char **p = parts; *p; p++)
                        strv_add(&v, *p);
        }
        return v;
}

struct top_opts {
        bool latest;
};

static const struct cli_opt top_opts[] = {
        OPT_B("latest", 'l', struct top_opts, latest, "Act on the latest container cpod is aware of"),
        OPT_END,
};

/* As podman: descriptors top doesn't know are ps(1) options, given to ps run inside the container. */
static int top_with_ps(struct cli_ctx *ctx, const char *name, int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_strv_ char **cmd = NULL;
        struct cpod_exec_opts eo = { 0 };
        struct cpod_attach_streams s = { .in = -1, .out = STDOUT_FILENO, .err = STDERR_FILENO };
        int code = 0;

        strv_add(&cmd, "ps");
        for (int i = 0; i < argc; i++)
                strv_add(&cmd, argv[i]);
        eo.argv = cmd;
        fflush(stdout);
        if (cpod_ctr_exec(ctx->rt, name, &eo, &s, &code, NULL, &err) < 0)
                return cli_fail(&err);
        if (code != 0)
                return cli_errorf("ps(1) failed with exit code %d", code);
        return 0;
}

static int run_top(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_strv_ char **descs = cli_split_descriptors(argc - 1, argv + 1);
        _cleanup_json_ json_t *rows = NULL;
        struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;
        size_t i, k;
        json_t *row, *cell;

        (void)opts;
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        if (!cpod_ctr_top_descriptors_known(descs))
                return top_with_ps(ctx, argv[0], argc - 1, argv + 1);
        if (cpod_ctr_top(ctx->rt, argv[0], descs, &rows, &err) < 0)
                return cli_fail(&err);
        json_array_foreach(rows, i, row) {
                json_array_foreach(row, k, cell)
                        strbuf_addf(&text, "%s%s", k ? "\t" : "", json_string_value(cell));
                strbuf_addch(&text, '\n');
        }
        cpod_tabwrite(text.buf, text.len, &out);
        fputs(out.buf, stdout);
        strbuf_release(&text);
        strbuf_release(&out);
        return 0;
}

const struct cli_cmd cmd_top = {
        .name = "top",
        .latest = CLI_LATEST_PREPENDS,
        .use = "[options] CONTAINER [FORMAT-DESCRIPTORS|ARGS...]",
        .summary = "Display the running processes of a container",
        .description = "Display the running processes of the container.\n\nThe top command extends the ps(1) "
                       "descriptors (args, comm, etime, group, nice, pcpu, pid, ppid, rgroup, rss, ruser, state, time, "
                       "tty, user, vsz, and the AIX forms %C, %U, ...) with host ones (hpid, huser, hgroup).  In "
                       "the absence of a descriptor the default is user,pid,ppid,pcpu,etime,tty,time,args.",
        .example = "cpod top ctrID\ncpod top ctrID pid args %C\ncpod top ctrID user pid comm",
        .opts = top_opts,
        .opts_size = sizeof(struct top_opts),
        .run = run_top,
        .min_args = 1,
        .max_args = -1,
        .no_interspersed = true,
        .complete_args = "containers",
};
