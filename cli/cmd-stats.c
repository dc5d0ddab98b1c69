/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stats (and container stats): samples every interval until interrupted, or
 * once with --no-stream.  As podman 4.3.1: without containers it shows every
 * container (those not running with zeros), --all included; a container
 * that went away between two samples is left out; --format json prints
 * podman's string fields.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/container.h>
#include <cpod/stats.h>

#include "cli/commands.h"
#include "cli/format.h"
#include "cli/stats-fmt.h"
#include "format/json-go.h"
#include "util/cleanup.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct stats_opts {
        bool all, latest, no_reset, no_stream, no_trunc;
        const char *format;
        long interval;
};

static const struct cli_opt stats_opts[] = {
        OPT_B("all", 'a', struct stats_opts, all,
              "Show all containers. Only running containers are shown by default. The default is false"),
        OPT_S("format", 0, struct stats_opts, format, NULL,
              "Pretty-print container statistics to JSON or using a Go template"),
        OPT_I("interval", 'i', struct stats_opts, interval, "5", "Time in seconds between stats reports"),
        OPT_B("latest", 'l', struct stats_opts, latest, "Act on the latest container cpod is aware of"),
        OPT_B("no-reset", 0, struct stats_opts, no_reset, "Disable resetting the screen between intervals"),
        OPT_B("no-stream", 0, struct stats_opts, no_stream,
              "Disable streaming stats and only pull the first result, default setting is false"),
        OPT_B("no-trunc", 0, struct stats_opts, no_trunc, "Do not truncate output"),
        OPT_END,
};

static const struct fmt_header stats_headers[] = {
        { "ID", "ID" },
        { "Name", "NAME" },
        { "CPUPerc", "CPU %" },
        { "AVGCPU", "AVG CPU %" },
        { "MemUsage", "MEM USAGE / LIMIT" },
        { "MemUsageBytes", "MEM USAGE / LIMIT" },
        { "MemPerc", "MEM %" },
        { "NetIO", "NET IO" },
        { "BlockIO", "BLOCK IO" },
        { "PIDS", "PIDS" },
        { "UpTime", "CPU TIME" },
        { NULL, NULL },
};

#define DEFAULT_FMT                                                                                                    \
        "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDS}}\t"   \
        "{{.UpTime}}\t{{.AVGCPU}}"

/* The printed values (podman's containerStats methods), as template fields and in --format json. */
struct shown {
        char *id, *cpu, *avg, *mem, *mem_bytes, *mem_perc, *net, *blk, *pids, *uptime;
};

static void shown_init(struct shown *v, const struct cpod_ctr_stats *s, bool notrunc)
{
        v->id = notrunc ? xstrdup(s->id) : xstrndup(s->id, 12);
        v->cpu = stats_percent(s->cpu, false);
        v->avg = stats_percent(s->avg_cpu, false);
        v->mem = stats_pair_human(s->mem_usage, s->mem_limit, false);
        v->mem_bytes = stats_pair_bytes(s->mem_usage, s->mem_limit, false);
        v->mem_perc = stats_percent(s->mem_perc, false);
        v->net = stats_pair_human(s->net_input, s->net_output, false);
        v->blk = stats_pair_human(s->block_input, s->block_output, false);
        v->pids = xasprintf("%llu", (unsigned long long)s->pids);
        v->uptime = go_duration_string((int64_t)s->cpu_nano);
}

static void shown_clear(struct shown *v)
{
        char **f[] = { &v->id,       &v->cpu, &v->avg, &v->mem,  &v->mem_bytes,
                       &v->mem_perc, &v->net, &v->blk, &v->pids, &v->uptime };
        for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
                free(*f[i]);
}

static json_t *template_row(const struct cpod_ctr_stats *s, const struct shown *v)
{
        return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:f, s:I, s:I, s:I, "
                         "s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
                         "ID", v->id, "ContainerID", s->id, "Name", s->name, "CPUPerc", v->cpu, "AVGCPU", v->avg,
                         "MemUsage", v->mem, "MemUsageBytes", v->mem_bytes, "MemPerc", v->mem_perc, "NetIO", v->net,
                         "BlockIO", v->blk, "PIDS", v->pids, "UpTime", v->uptime, "Up", v->uptime, "CPU", s->cpu,
                         "AvgCPU", s->avg_cpu, "CPUNano", (json_int_t)s->cpu_nano, "CPUSystemNano",
                         (json_int_t)s->cpu_system_nano, "SystemNano", (json_int_t)s->system_nano, "MemLimit",
                         (json_int_t)s->mem_limit, "NetInput", (json_int_t)s->net_input, "NetOutput",
                         (json_int_t)s->net_output, "BlockInput", (json_int_t)s->block_input, "BlockOutput",
                         (json_int_t)s->block_output, "PIDs", (json_int_t)s->pids, "Duration", (json_int_t)s->cpu_nano);
}

static json_t *json_row(const struct cpod_ctr_stats *s, const struct shown *v)
{
        return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", v->id, "name", s->name, "cpu_time",
                         v->uptime, "cpu_percent", v->cpu, "avg_cpu", v->avg, "mem_usage", v->mem, "mem_percent",
                         v->mem_perc, "net_io", v->net, "block_io", v->blk, "pids", v->pids);
}

static int render(const struct stats_opts *o, const struct cpod_ctr_stats *v, size_t n)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *rows = json_array(), *js = json_array();

        for (size_t i = 0; i < n; i++) {
                struct shown sh;
                shown_init(&sh, &v[i], o->no_trunc);
                json_array_append_new(rows, template_row(&v[i], &sh));
                json_array_append_new(js, json_row(&v[i], &sh));
                shown_clear(&sh);
        }
        if (!o->no_reset)
                stats_clear_screen();
        if (o->format && fmt_is_json(o->format)) {
                struct strbuf b = STRBUF_INIT;
                json_go_append(&b, js, " ", 0);
                printf("%s\n", b.buf);
                strbuf_release(&b);
        } else if (cli_print_list(stdout, o->format, DEFAULT_FMT, stats_headers, rows, js, &err) < 0)
                return cli_fail(&err);
        fflush(stdout);
        return 0;
}

/* The containers to sample: those named, else every container. */
static char **targets(struct cli_ctx *ctx, int argc, char **argv, cpod_error_t *err)
{
        _cleanup_json_ json_t *list = NULL;
        char **ids = xnew0(char *, 1);
        json_t *e;
        size_t i;

        for (int k = 0; k < argc; k++)
                strv_add(&ids, argv[k]);
        if (argc > 0)
                return ids;
        if (cpod_ctr_list(ctx->rt, true, &list, err) < 0) {
                strv_free(ids);
                return NULL;
        }
        json_array_foreach(list, i, e)
                strv_add(&ids, json_get_str(e, "Id"));
        return ids;
}

static const struct cpod_ctr_stats *find_prev(const struct cpod_ctr_stats *v, size_t n, const char *id)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(v[i].id, id) == 0)
                        return &v[i];
        return NULL;
}

static void samples_free(struct cpod_ctr_stats *v, size_t n)
{
        for (size_t i = 0; i < n; i++)
                cpod_ctr_stats_clear(&v[i]);
        free(v);
}

/* One round: a sample of every target into *cur (n of them); 0 or an exit code. */
static int sample_round(struct cli_ctx *ctx, int argc, char **argv, const struct cpod_ctr_stats *prev, size_t nprev,
                        struct cpod_ctr_stats **cur, size_t *n)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_strv_ char **ids = targets(ctx, argc, argv, &err);
        size_t cnt = ids ? strv_length(ids) : 0, k = 0;
        struct cpod_ctr_stats *v = xnew0(struct cpod_ctr_stats, cnt + 1);

        if (!ids) {
                free(v);
                return cli_fail(&err);
        }
        for (size_t i = 0; i < cnt; i++) {
                if (cpod_ctr_stats(ctx->rt, ids[i], find_prev(prev, nprev, ids[i]), &v[k], &err) == 0) {
                        k++;
                        continue;
                }
                /* Gone since the listing: left out when no container was named, as podman. */
                if (argc == 0 && err.kind == CPOD_E_NO_SUCH_CTR) {
                        cpod_error_clear(&err);
                        continue;
                }
                samples_free(v, k);
                return cli_fail(&err);
        }
        *cur = v;
        *n = k;
        return 0;
}

static int run_stats(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct stats_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_ctr_stats *prev = NULL, *cur = NULL;
        size_t nprev = 0, n = 0;
        int r;

        if (o->all && argc > 0)
                return cli_errorf("--all, --latest and containers cannot be used together");
        if (o->interval < 1)
                return cli_errorf("invalid interval, must be a positive number greater zero");
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        for (;;) {
                if ((r = sample_round(ctx, argc, argv, prev, nprev, &cur, &n)) != 0)
                        break;
                samples_free(prev, nprev);
                prev = cur;
                nprev = n;
                if ((r = render(o, cur, n)) != 0 || o->no_stream)
                        break;
                sleep((unsigned)o->interval);
        }
        samples_free(prev, nprev);
        return r;
}

const struct cli_cmd cmd_stats = {
        .name = "stats",
        .latest = CLI_LATEST_REPLACES,
        .use = "[options] [CONTAINER...]",
        .summary = "Display a live stream of container resource usage statistics",
        .description = "Display percentage of CPU, memory, network I/O, block I/O and PIDs for one or more containers.",
        .example = "cpod stats --all --no-stream\ncpod stats ctrID\n"
                   "cpod stats --no-stream --format \"table {{.ID}} {{.Name}} {{.MemUsage}}\" ctrID",
        .opts = stats_opts,
        .opts_size = sizeof(struct stats_opts),
        .run = run_stats,
        .max_args = -1,
        .complete_args = "containers",
};
