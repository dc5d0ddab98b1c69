/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pod stats: one row per container of each pod (infra included), podman
 * 4.3.1's PodStatsReport: zero values print as "--", a sample every second
 * until interrupted unless --no-stream, no pods at all print a row of "--".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/pod.h>
#include <cpod/stats.h>

#include "cli/commands.h"
#include "cli/format.h"
#include "cli/stats-fmt.h"
#include "format/json-go.h"
#include "format/tabwriter.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct pod_stats_opts {
        bool all, latest, no_reset, no_stream;
        const char *format;
};

static const struct cli_opt pod_stats_opts[] = {
        OPT_B("all", 'a', struct pod_stats_opts, all, "Provide stats for all pods"),
        OPT_S("format", 0, struct pod_stats_opts, format, NULL,
              "Pretty-print container statistics to JSON or using a Go template"),
        OPT_B("latest", 'l', struct pod_stats_opts, latest, "Act on the latest pod cpod is aware of"),
        OPT_B("no-reset", 0, struct pod_stats_opts, no_reset, "Disable resetting the screen when streaming"),
        OPT_B("no-stream", 0, struct pod_stats_opts, no_stream,
              "Disable streaming stats and only pull the first result"),
        OPT_END,
};

static const struct fmt_header pod_stats_headers[] = {
        { "CPU", "CPU %" },
        { "MemUsage", "MEM USAGE/ LIMIT" },
        { "MemUsageBytes", "MEM USAGE/ LIMIT" },
        { "Mem", "MEM %" },
        { "NetIO", "NET IO" },
        { "BlockIO", "BLOCK IO" },
        { "PIDS", "PIDS" },
        { "Pod", "POD" },
        { "CID", "CID" },
        { "Name", "NAME" },
        { NULL, NULL },
};

static json_t *report_row(const char *pod_id, const struct cpod_ctr_stats *s)
{
        _cleanup_free_ char *cpu = stats_percent(s->cpu, true),
                            *mem = stats_pair_human(s->mem_usage, s->mem_limit, true),
                            *memb = stats_pair_bytes(s->mem_usage, s->mem_limit, true),
                            *memp = stats_percent(s->mem_perc, true),
                            *net = stats_pair_human(s->net_input, s->net_output, true),
                            *blk = stats_pair_human(s->block_input, s->block_output, true),
                            *pids = s->pids ? xasprintf("%llu", (unsigned long long)s->pids) : xstrdup("--");

        return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s%, s:s%, s:s}", "CPU", cpu, "MemUsage", mem,
                         "MemUsageBytes", memb, "Mem", memp, "NetIO", net, "BlockIO", blk, "PIDS", pids, "Pod", pod_id,
                         (size_t)12, "CID", s->id, (size_t)12, "Name", s->name);
}

/* The pods asked for: named, the newest, or all. */
static int pod_ids(struct cli_ctx *ctx, const struct pod_stats_opts *o, int argc, char **argv, char ***ret)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *all = NULL;
        char **v = xnew0(char *, 1);
        json_t *p;
        size_t i;

        for (int k = 0; k < argc; k++) {
                char id[65];
                if (cpod_pod_lookup(ctx->rt, argv[k], id, &err) < 0) {
                        strv_free(v);
                        return cli_fail(&err);
                }
                strv_add(&v, id);
        }
        if (argc == 0 && cpod_pod_list(ctx->rt, &all, &err) < 0) {
                strv_free(v);
                return cli_fail(&err);
        }
        json_array_foreach(all, i, p) {
                strv_add(&v, json_get_str(p, "Id"));
                if (o->latest)
                        break;
        }
        *ret = v;
        return 0;
}

static int collect(struct cli_ctx *ctx, char **pods, json_t *rows)
{
        cpod_error_t err = CPOD_ERROR_INIT;

        for (char **p = pods; *p; p++) {
                _cleanup_strv_ char **ids = NULL;
                if (cpod_pod_containers(ctx->rt, *p, &ids, &err) < 0)
                        return cli_fail(&err);
                for (char **c = ids; *c; c++) {
                        struct cpod_ctr_stats s = { 0 };
                        if (cpod_ctr_stats(ctx->rt, *c, NULL, &s, &err) < 0) {
                                if (err.kind == CPOD_E_NO_SUCH_CTR) {
                                        cpod_error_clear(&err);
                                        continue;
                                }
                                return cli_fail(&err);
                        }
                        json_array_append_new(rows, report_row(*p, &s));
                        cpod_ctr_stats_clear(&s);
                }
        }
        return 0;
}

static void default_table(json_t *rows)
{
        static const char *const keys[] = {
                "Pod", "CID", "Name", "CPU", "MemUsage", "Mem", "NetIO", "BlockIO", "PIDS"
        };
        struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;
        json_t *r;
        size_t i;

        strbuf_addstr(&text, "POD\tCID\tNAME\tCPU %\tMEM USAGE/ LIMIT\tMEM %\tNET IO\tBLOCK IO\tPIDS\n");
        if (json_array_size(rows) == 0)
                strbuf_addstr(&text, "--\t--\t--\t--\t--\t--\t--\t--\t--\n");
        json_array_foreach(rows, i, r) {
                for (size_t k = 0; k < 9; k++)
                        strbuf_addf(&text, "%s%s", json_get_str(r, keys[k]), k == 8 ? "\n" : "\t");
        }
        cpod_tabwrite_ex(text.buf, text.len, 12, 2, ' ', &out);
        fputs(out.buf, stdout);
        strbuf_release(&text);
        strbuf_release(&out);
}

static int render(const struct pod_stats_opts *o, json_t *rows)
{
        cpod_error_t err = CPOD_ERROR_INIT;

        if (o->format && fmt_is_json(o->format)) {
                struct strbuf b = STRBUF_INIT;
                json_go_append(&b, rows, "     ", 0);
                printf("%s\n", b.buf);
                strbuf_release(&b);
                return 0;
        }
        if (!o->no_reset)
                stats_clear_screen();
        if (o->format && *o->format) {
                if (json_array_size(rows) > 0 &&
                    cli_print_list(stdout, o->format, NULL, pod_stats_headers, rows, rows, &err) < 0)
                        return cli_fail(&err);
        } else
                default_table(rows);
        fflush(stdout);
        return 0;
}

static int run_pod_stats(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct pod_stats_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        int r;

        if ((argc > 0) + o->all + o->latest > 1)
                return cli_errorf("--all, --latest and arguments cannot be used together");
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        for (;;) {
                _cleanup_strv_ char **pods = NULL;
                _cleanup_json_ json_t *rows = json_array();
                if ((r = pod_ids(ctx, o, argc, argv, &pods)) != 0 || (r = collect(ctx, pods, rows)) != 0 ||
                    (r = render(o, rows)) != 0 || o->no_stream)
                        return r;
                sleep(1);
        }
}

const struct cli_cmd cmd_pod_stats = {
        .name = "stats",
        .use = "[options] [POD...]",
        .summary = "Display a live stream of resource usage statistics for the containers in one or more pods",
        .description = "Display the containers' resource-usage statistics of one or more running pod",
        .example =
                "cpod pod stats\ncpod pod stats a69b23034235 named-pod\ncpod pod stats --latest\ncpod pod stats --all",
        .opts = pod_stats_opts,
        .opts_size = sizeof(struct pod_stats_opts),
        .run = run_pod_stats,
        .max_args = -1,
        .complete_args = "pods",
};
