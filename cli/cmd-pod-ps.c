/* SPDX-License-Identifier: Apache-2.0 */
/* pod ps / pod ls, and pod logs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpod/container.h>
#include <cpod/pod.h>

#include "cli/commands.h"
#include "cli/format.h"
#include "cli/output.h"
#include "cli/sort.h"
#include "util/cleanup.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "format/tabwriter.h"
#include "util/xalloc.h"

struct pod_ps_opts {
        bool ctr_ids, ctr_names, ctr_status, latest, noheading, no_trunc, quiet;
        struct strv filter;
        const char *format, *sort;
};

static const struct cli_opt pod_ps_opts[] = {
        OPT_B("ctr-ids", 0, struct pod_ps_opts, ctr_ids,
              "Display the container UUIDs. If no-trunc is not set they will be truncated"),
        OPT_B("ctr-names", 0, struct pod_ps_opts, ctr_names, "Display the container names"),
        OPT_B("ctr-status", 0, struct pod_ps_opts, ctr_status, "Display the container status"),
        OPT_A("filter", 'f', struct pod_ps_opts, filter, "Filter output based on conditions given"),
        OPT_S("format", 0, struct pod_ps_opts, format, NULL, "Pretty-print pods to JSON or using a Go template"),
        OPT_B("latest", 'l', struct pod_ps_opts, latest, "Act on the latest pod cpod is aware of"),
        OPT_B("noheading", 'n', struct pod_ps_opts, noheading, "Do not print headers"),
        OPT_B("no-trunc", 0, struct pod_ps_opts, no_trunc, "Do not truncate pod and container IDs"),
        OPT_B("quiet", 'q', struct pod_ps_opts, quiet, "Print the numeric IDs of the pods only"),
        OPT_S("sort", 0, struct pod_ps_opts, sort, "created", "Sort output by created, id, name, or number"),
        OPT_END,
};

static const struct fmt_header pod_headers[] = {
        { "ID", "POD ID" },
        { "Name", "NAME" },
        { "Status", "STATUS" },
        { "Created", "CREATED" },
        { "InfraID", "INFRA ID" },
        { "NumberOfContainers", "# OF CONTAINERS" },
        { "ContainerNames", "NAMES" },
        { "ContainerIds", "IDS" },
        { "ContainerStatuses", "STATUS" },
        { "Labels", "LABELS" },
        { "Cgroup", "CGROUP" },
        { NULL, NULL },
};

static json_t *pod_row(json_t *p, bool no_trunc)
{
        json_t *r = json_deep_copy(p), *c;
        const char *id = json_get_str(p, "Id"), *infra = json_get_str(p, "InfraId");
        struct strbuf names = STRBUF_INIT, ids = STRBUF_INIT, st = STRBUF_INIT;
        int64_t created = 0;
        _cleanup_free_ char *since = NULL;
        size_t i;

        json_array_foreach(json_object_get(p, "Containers"), i, c) {
                strbuf_addf(&names, "%s%s", i ? "," : "", json_get_str(c, "Names"));
                strbuf_addf(&ids, "%s%.*s", i ? "," : "", no_trunc ? 64 : 12, json_get_str(c, "Id"));
                strbuf_addf(&st, "%s%s", i ? "," : "", json_get_str(c, "Status"));
        }
        (void)time_parse_rfc3339(json_get_str(p, "Created"), &created, NULL);
        since = human_since(created);
        json_object_set_new(r, "ID", json_string_cut(id, no_trunc ? 64 : 12));
        json_object_set_new(r, "InfraID", json_string_cut(infra, no_trunc ? 64 : 12));
        json_object_set_new(r, "Created", json_string(since));
        json_object_set_new(r, "NumberOfContainers",
                            json_integer((json_int_t)json_array_size(json_object_get(p, "Containers"))));
        json_object_set_new(r, "ContainerNames", json_string(names.buf));
        json_object_set_new(r, "ContainerIds", json_string(ids.buf));
        json_object_set_new(r, "ContainerStatuses", json_string(st.buf));
        strbuf_release(&names);
        strbuf_release(&ids);
        strbuf_release(&st);
        return r;
}

static bool pod_filter_ok(json_t *p, const struct strv *f)
{
        for (size_t i = 0; i < f->n; i++) {
                const char *eq = strchr(f->v[i], '=');
                const char *v = eq ? eq + 1 : "";
                size_t kl = eq ? (size_t)(eq - f->v[i]) : strlen(f->v[i]);
                bool ok = true;
                if (kl == 4 && strncmp(f->v[i], "name", 4) == 0)
                        ok = strstr(json_get_str(p, "Name"), v) != NULL;
                else if (kl == 2 && strncmp(f->v[i], "id", 2) == 0)
                        ok = strncmp(json_get_str(p, "Id"), v, strlen(v)) == 0;
                else if (kl == 6 && strncmp(f->v[i], "status", 6) == 0)
                        ok = strcasecmp(json_get_str(p, "Status"), v) == 0;
                else if (kl == 5 && strncmp(f->v[i], "label", 5) == 0) {
                        const char *e2 = strchr(v, '=');
                        _cleanup_free_ char *k = e2 ? xstrndup(v, (size_t)(e2 - v)) : xstrdup(v);
                        json_t *l = json_object_get(json_object_get(p, "Labels"), k);
                        ok = l && (!e2 || strcmp(json_string_value(l), e2 + 1) == 0);
                }
                if (!ok)
                        return false;
        }
        return true;
}

static const struct cli_sort_key pod_sort_keys[] = {
        { "created", "Created", false, true },
        { "id", "Id", false, false },
        { "name", "Name", false, false },
        { "names", "Name", false, false },
        { "number", "Containers", true, false },
        { "status", "Status", false, false },
        { NULL, NULL, false, false },
};

static int run_pod_ps(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct pod_ps_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *all = NULL, *sel = json_array(), *rows = json_array();
        struct strbuf fmt = STRBUF_INIT;
        const struct cli_sort_key *sort;
        size_t i;
        json_t *p;
        int r;

        if (!(sort = cli_sort_find(pod_sort_keys, o->sort && *o->sort ? o->sort : "created")))
                return cli_errorf("invalid option for --sort, options are: created, id, name, number, or status");
        if (!cli_runtime(ctx, &err) || cpod_pod_list(ctx->rt, &all, &err) < 0)
                return cli_fail(&err);
        if (strcmp(sort->name, "created") != 0)
                cli_sort_array(all, sort);
        json_array_foreach(all, i, p) {
                if (!pod_filter_ok(p, &o->filter))
                        continue;
                json_array_append(sel, p);
                if (o->latest)
                        break;
        }
        if (o->quiet) {
                json_array_foreach(sel, i, p)
                        printf("%.*s\n", o->no_trunc ? 64 : 12, json_get_str(p, "Id"));
                return 0;
        }
        json_array_foreach(sel, i, p)
                json_array_append_new(rows, pod_row(p, o->no_trunc));
        strbuf_addstr(&fmt, "table {{.ID}}\t{{.Name}}\t{{.Status}}\t{{.Created}}\t{{.InfraID}}");
        strbuf_addstr(&fmt, o->ctr_names || o->ctr_ids || o->ctr_status ? "" : "\t{{.NumberOfContainers}}");
        if (o->ctr_ids)
                strbuf_addstr(&fmt, "\t{{.ContainerIds}}");
        if (o->ctr_names)
                strbuf_addstr(&fmt, "\t{{.ContainerNames}}");
        if (o->ctr_status)
                strbuf_addstr(&fmt, "\t{{.ContainerStatuses}}");
        r = cli_print_list_opts(stdout, o->format, fmt.buf, pod_headers, rows, sel, o->noheading, &err);
        strbuf_release(&fmt);
        return r < 0 ? cli_fail(&err) : 0;
}

const struct cli_cmd cmd_pod_ps = {
        .name = "ps",
        .aliases = CMD_ALIASES("ls", "list"),
        .use = "[options]",
        .summary = "List pods",
        .description = "List all pods on system including their names, ids and current state.",
        .opts = pod_ps_opts,
        .opts_size = sizeof(struct pod_ps_opts),
        .run = run_pod_ps,
        .max_args = 0,
};

struct pod_logs_opts {
        bool follow, timestamps;
        const char *since, *until, *container;
        long tail;
};

static const struct cli_opt pod_logs_opts[] = {
        OPT_S("container", 'c', struct pod_logs_opts, container, NULL,
              "Filter logs by container name or id which belongs to pod"),
        OPT_B("follow", 'f', struct pod_logs_opts, follow, "Follow log output."),
        OPT_S("since", 0, struct pod_logs_opts, since, NULL, "Show logs since TIMESTAMP"),
        OPT_I("tail", 0, struct pod_logs_opts, tail, "-1",
              "Output the specified number of LINES at the end of the logs."),
        OPT_B("timestamps", 't', struct pod_logs_opts, timestamps, "Output the timestamps in the log"),
        OPT_S("until", 0, struct pod_logs_opts, until, NULL, "Show logs until TIMESTAMP"),
        OPT_END,
};

struct prefix_print {
        const char *prefix;
        bool ts;
};

static int print_prefixed(void *ud, const struct cpod_log_line *l)
{
        struct prefix_print *p = ud;
        FILE *f = l->stream == 'e' ? stderr : stdout;

        fprintf(f, "%s ", p->prefix);
        if (p->ts) {
                _cleanup_free_ char *t = time_rfc3339nano(l->ts_ns / 1000000000LL, (long)(l->ts_ns % 1000000000LL), 0);
                fprintf(f, "%s ", t);
        }
        fwrite(l->msg, 1, l->len, f);
        if (l->newline)
                fputc('\n', f);
        fflush(f);
        return ferror(f) ? -1 : 0;
}

/* Containers' logs one after another, each line prefixed with the container's name (podman's pod logs). */
static int run_pod_logs(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct pod_logs_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_logs_opts lo = { .since = o->since, .until = o->until, .tail = o->tail, .follow = o->follow };
        _cleanup_json_ json_t *ins = NULL;
        size_t i;
        json_t *c;
        int rc = 0;

        if (!cli_runtime(ctx, &err) || cpod_pod_inspect(ctx->rt, argv[0], &ins, &err) < 0)
                return cli_fail(&err);
        json_array_foreach(json_object_get(ins, "Containers"), i, c) {
                struct prefix_print pp = { json_get_str(c, "Name"), o->timestamps };
                if (strcmp(json_get_str(c, "Id"), json_get_str(ins, "InfraContainerID")) == 0)
                        continue;
                if (o->container && strcmp(o->container, json_get_str(c, "Name")) != 0 &&
                    strncmp(json_get_str(c, "Id"), o->container, strlen(o->container)) != 0)
                        continue;
                if (cpod_ctr_logs(ctx->rt, json_get_str(c, "Id"), &lo, print_prefixed, &pp, &err) < 0)
                        rc = cli_fail(&err);
        }
        return rc;
}

const struct cli_cmd cmd_pod_logs = {
        .name = "logs",
        .use = "[options] POD",
        .summary = "Fetch logs for pod with one or more containers",
        .description = "Displays logs for pod with one or more containers.",
        .opts = pod_logs_opts,
        .opts_size = sizeof(struct pod_logs_opts),
        .run = run_pod_logs,
        .min_args = 1,
        .max_args = 1,
        .complete_args = "pods",
};

/* pod top: the processes of every running container of the pod, with a NAME column. */
static int run_pod_top(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *ins = NULL;
        struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;
        _cleanup_strv_ char **descs = cli_split_descriptors(argc - 1, argv + 1);
        bool header = false;
        size_t i;
        json_t *c;

        (void)opts;
        if (!cli_runtime(ctx, &err) || cpod_pod_inspect(ctx->rt, argv[0], &ins, &err) < 0)
                return cli_fail(&err);
        json_array_foreach(json_object_get(ins, "Containers"), i, c) {
                _cleanup_json_ json_t *rows = NULL;
                size_t k, j;
                json_t *row, *cell;
                if (strcmp(json_get_str(c, "State"), "running") != 0)
                        continue;
                if (cpod_ctr_top(ctx->rt, json_get_str(c, "Id"), descs, &rows, &err) < 0) {
                        strbuf_release(&text);
                        return cli_fail(&err);
                }
                json_array_foreach(rows, k, row) {
                        if (k == 0 && header)
                                continue;
                        json_array_foreach(row, j, cell)
                                strbuf_addf(&text, "%s%s", j ? "\t" : "", json_string_value(cell));
                        strbuf_addf(&text, "\t%s\n", k == 0 ? "NAME" : json_get_str(c, "Name"));
                }
                header = true;
        }
        cpod_tabwrite(text.buf, text.len, &out);
        fputs(out.buf, stdout);
        strbuf_release(&text);
        strbuf_release(&out);
        return 0;
}

const struct cli_cmd cmd_pod_top = {
        .name = "top",
        .use = "[options] POD [FORMAT-DESCRIPTORS|ARGS...]",
        .summary = "Display the running processes of containers in a pod",
        .description = "Display the running processes of containers in a pod, one row per process with the "
                       "container's name.",
        .run = run_pod_top,
        .min_args = 1,
        .max_args = -1,
        .no_interspersed = true,
        .complete_args = "pods",
};
