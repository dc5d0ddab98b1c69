/* SPDX-License-Identifier: Apache-2.0 */
/* cpod ps / container ls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/container.h>
#include <cpod/image.h>

#include "cli/commands.h"
#include "cli/ctr-filter.h"
#include "cli/format.h"
#include "cli/output.h"
#include "cli/sort.h"
#include "util/cleanup.h"
#include "util/heap.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct ps_opts {
        bool all, external, latest, no_trunc, noheading, pod, quiet, size, sync;
        long last;
        struct strv filter;
        const char *format, *sort;
};

static const struct cli_opt ps_opts[] = {
        OPT_B("all", 'a', struct ps_opts, all, "Show all the containers, default is only running containers"),
        OPT_B("external", 0, struct ps_opts, external, "Show containers in storage not controlled by cpod"),
        OPT_A("filter", 'f', struct ps_opts, filter, "Filter output based on conditions given"),
        OPT_S("format", 0, struct ps_opts, format, NULL, "Pretty-print containers to JSON or using a Go template"),
        OPT_I("last", 'n', struct ps_opts, last, "-1", "Print the n last created containers (all states)"),
        OPT_B("latest", 'l', struct ps_opts, latest, "Act on the latest container cpod is aware of"),
        OPT_B("no-trunc", 0, struct ps_opts, no_trunc, "Display the extended information"),
        OPT_B("noheading", 0, struct ps_opts, noheading, "Do not print headers"),
        OPT_B("pod", 'p', struct ps_opts, pod, "Print the ID and name of the pod the containers are associated with"),
        OPT_B("quiet", 'q', struct ps_opts, quiet, "Print the numeric IDs of the containers only"),
        OPT_B("size", 's', struct ps_opts, size, "Display the total file sizes"),
        OPT_S("sort", 0, struct ps_opts, sort, "created",
              "Sort output by: command, created, id, image, names, runningfor, size, status"),
        OPT_B("sync", 0, struct ps_opts, sync, "Sync container state with OCI runtime"),
        OPT_END,
};

static const struct fmt_header ps_headers[] = {
        { "ID", "CONTAINER ID" },
        { "Image", "IMAGE" },
        { "Command", "COMMAND" },
        { "CreatedHuman", "CREATED" },
        { "Created", "CREATED" },
        { "Status", "STATUS" },
        { "Ports", "PORTS" },
        { "Names", "NAMES" },
        { "Pod", "POD ID" },
        { "PodName", "PODNAME" },
        { "Size", "SIZE" },
        { "RunningFor", "CREATED" },
        { "State", "STATE" },
        { "Networks", "NETWORKS" },
        { "Labels", "LABELS" },
        { "Mounts", "MOUNTS" },
        { "ExitCode", "EXIT CODE" },
        { "Restarts", "RESTARTS" },
        { NULL, NULL },
};

static int64_t created_of(json_t *c)
{
        int64_t t = 0;

        (void)time_parse_rfc3339(json_get_str(c, "Created"), &t, NULL);
        return t;
}

static char *state_text(json_t *c);

/* podman's STATUS: the state, and the health status when there is a healthcheck ("Up 5 seconds ago (healthy)"). */
static char *status_text(json_t *c)
{
        const char *health = json_get_str(c, "Status");
        char *s = state_text(c), *t;

        if (!health || !*health)
                return s;
        t = xasprintf("%s (%s)", s, health);
        free(s);
        return t;
}

static char *state_text(json_t *c)
{
        const char *state = json_get_str(c, "State");
        _cleanup_free_ char *ago = NULL;

        if (strcmp(state, "running") == 0) {
                ago = human_since(json_get_int(c, "StartedAt", 0));
                return xasprintf("Up %s", ago);
        }
        if (strcmp(state, "exited") == 0 || strcmp(state, "stopped") == 0) {
                ago = human_since(json_get_int(c, "ExitedAt", 0));
                return xasprintf("Exited (%d) %s", (int)json_get_int(c, "ExitCode", 0), ago);
        }
        if (strcmp(state, "paused") == 0)
                return xstrdup("Paused");
        if (strcmp(state, "created") == 0)
                return xstrdup("Created");
        if (strcmp(state, "stopping") == 0)
                return xstrdup("Stopping");
        return xstrdup(state);
}

/* podman's PORTS column: "127.0.0.1:8080->80/tcp, 0.0.0.0:9000-9001->9000-9001/udp". */
static char *ports_text(const json_t *ports)
{
        struct strbuf sb = STRBUF_INIT;
        json_t *p;
        size_t i;

        json_array_foreach(ports, i, p) {
                const char *ip = json_get_str(p, "host_ip");
                long long hp = json_get_int(p, "host_port", 0), cp = json_get_int(p, "container_port", 0),
                          n = json_get_int(p, "range", 1);
                strbuf_addf(&sb, "%s%s:%lld", i ? ", " : "", ip && *ip ? ip : "0.0.0.0", hp);
                if (n > 1)
                        strbuf_addf(&sb, "-%lld", hp + n - 1);
                strbuf_addf(&sb, "->%lld", cp);
                if (n > 1)
                        strbuf_addf(&sb, "-%lld", cp + n - 1);
                strbuf_addf(&sb, "/%s", json_get_str(p, "protocol") ? json_get_str(p, "protocol") : "tcp");
        }
        return strbuf_detach(&sb, NULL);
}

static json_t *row(json_t *c, bool no_trunc, bool pod)
{
        json_t *r = json_copy(c); /* shallow: only top-level keys are added */
        const char *id = json_get_str(c, "Id");
        _cleanup_strv_ char **cmdv = json_to_strv(json_object_get(c, "Command"));
        _cleanup_strv_ char **names = json_to_strv(json_object_get(c, "Names"));
        _cleanup_free_ char *cmd = strv_join(cmdv, " "), *nm = strv_join(names, ",");
        _cleanup_free_ char *status = status_text(c);
        int64_t created = created_of(c);

        if (!no_trunc && strlen(cmd) > 17)
                strcpy(cmd + 17, "...");
        json_object_set_new(r, "ID", json_string_cut(id, no_trunc ? 64 : 12));
        json_object_set_new(r, "Command", json_string(cmd));
        json_object_set_new(r, "Names", json_string(nm));
        json_object_set_new(r, "Status", json_string(status));
        json_object_set_new(r, "CreatedHuman", json_string(json_get_str(c, "CreatedAt")));
        json_object_set_new(r, "RunningFor", json_string(json_get_str(c, "CreatedAt")));
        json_object_set_new(r, "Ports", json_string_take(ports_text(json_object_get(c, "Ports"))));
        {
                _cleanup_strv_ char **nets = json_to_strv(json_object_get(c, "Networks"));
                json_object_set_new(r, "Networks", json_string_take(strv_join(nets, ",")));
        }
        json_object_set_new(r, "Size", json_string(""));
        {
                _cleanup_strv_ char **mounts = json_to_strv(json_object_get(c, "Mounts"));
                json_object_set_new(r, "Mounts", json_string_take(strv_join(mounts, ",")));
        }
        json_object_set_new(r, "Pod", json_string_cut(json_get_str(c, "Pod"), no_trunc ? 64 : 12));
        if (!pod) /* as podman: the pod's name is looked up for --pod only */
                json_object_set_new(r, "PodName", json_string(""));
        {
                _cleanup_free_ char *cat = time_go_string(created, 0);
                json_object_set_new(r, "CreatedAt", json_string(cat));
        }
        return r;
}

/* podman's JSON: Created as Unix seconds, its Status text, StartedAt as Go's zero time when never started. */
static json_t *json_entry(json_t *c, bool pod)
{
        json_t *j = json_copy(c);

        if (!pod)
                json_object_set_new(j, "PodName", json_string(""));
        _cleanup_free_ char *status = status_text(c);

        json_object_set_new(j, "Status", json_string(status));
        json_object_set_new(j, "Created", json_integer(created_of(c)));
        if (json_get_int(c, "StartedAt", 0) == 0)
                json_object_set_new(j, "StartedAt", json_integer(-62135596800LL));
        return j;
}

static const char *default_format(const struct ps_opts *o)
{
        if (o->size)
                return "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedHuman}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}"
                       "\t{{.Size}}";
        if (o->pod)
                return "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedHuman}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}"
                       "\t{{.Pod}}\t{{.PodName}}";
        return "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedHuman}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
}

static const struct cli_sort_key ps_sort_keys[] = {
        { "command", "Command", false, false },
        { "created", "Created", false, true },
        { "id", "Id", false, false },
        { "image", "Image", false, false },
        { "names", "Names", false, false },
        { "runningfor", "Created", false, true },
        { "size", "Size.rootFsSize", false, false },
        { "status", "State", false, false },
        { NULL, NULL, false, false },
};

/* Size{rwSize, rootFsSize} of each container, for --size and --sort size. */
static void add_sizes(struct cli_ctx *ctx, json_t *sel)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        size_t i;
        json_t *c;

        json_array_foreach(sel, i, c) {
                int64_t rw, rootfs;
                if (cpod_ctr_size(ctx->rt, json_get_str(c, "Id"), &rw, &rootfs, &err) == 0)
                        json_object_set_new(
                                c, "Size",
                                json_pack("{s:I, s:I}", "rwSize", (json_int_t)rw, "rootFsSize", (json_int_t)rootfs));
                cpod_error_clear(&err);
        }
}

/* The containers come newest first; any other order is sorted here. */
static int sort_containers(struct cli_ctx *ctx, const struct ps_opts *o, json_t *sel)
{
        const char *name = o->sort && *o->sort ? o->sort : "created";
        const struct cli_sort_key *k = cli_sort_find(ps_sort_keys, name);

        if (!k)
                return cli_errorf("invalid argument \"%s\" for \"--sort\" flag: \"%s\" is not a valid value.  Choose "
                                  "from: \"command, created, id, image, names, runningfor, size, status\"",
                                  name, name);
        if (o->size || strcmp(k->name, "size") == 0)
                add_sizes(ctx, sel);
        if (strcmp(k->name, "created") != 0 && strcmp(k->name, "runningfor") != 0)
                cli_sort_array(sel, k);
        return 0;
}

static int run_ps(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct ps_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *all = NULL, *sel = json_array(), *rows = json_array(), *jsonv = json_array();
        struct cpod_ctr_filter *filter = NULL;
        bool every, as_json = o->format && strcmp(o->format, "json") == 0;
        size_t i;
        json_t *c;
        int r;

        heap_prepare_large(32 << 20); /* ~6 KiB of objects per container */
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        if ((r = ctr_filter_parse(ctx, &o->filter, &filter)))
                return r;
        /* As podman: only running containers unless -a, --last, --latest or a status filter says otherwise. */
        every = o->all || o->latest || o->last >= 0 || ctr_filter_has(filter, "status");
        if (cpod_ctr_list(ctx->rt, every, &all, &err) < 0) {
                ctr_filter_free(filter);
                return cli_fail(&err);
        }
        json_array_foreach(all, i, c) {
                if (!ctr_filter_match(filter, c) || (!every && strcmp(json_get_str(c, "State"), "running") != 0))
                        continue;
                if ((o->latest && json_array_size(sel) >= 1) ||
                    (o->last >= 0 && json_array_size(sel) >= (size_t)o->last))
                        break;
                json_array_append(sel, c);
        }
        ctr_filter_free(filter);
        if ((r = sort_containers(ctx, o, sel)))
                return r;
        if (o->quiet) {
                json_array_foreach(sel, i, c)
                        printf("%.*s\n", o->no_trunc ? 64 : 12, json_get_str(c, "Id"));
                return 0;
        }
        json_array_foreach(sel, i, c) {
                json_t *nr = row(c, o->no_trunc, o->pod), *sz = json_object_get(c, "Size");
                if (o->size && sz) {
                        _cleanup_free_ char *a = human_size((double)json_get_int(sz, "rwSize", 0)),
                                            *b = human_size((double)json_get_int(sz, "rootFsSize", 0));
                        json_object_set_new(nr, "Size", json_sprintf("%s (virtual %s)", a, b));
                }
                json_array_append_new(rows, nr);
                if (as_json)
                        json_array_append_new(jsonv, json_entry(c, o->pod));
        }
        r = cli_print_list_opts(stdout, o->format, default_format(o), ps_headers, rows, as_json ? jsonv : sel,
                                o->noheading, &err);
        if (r < 0)
                return cli_fail(&err);
        return 0;
}

const struct cli_cmd cmd_ps = {
        .name = "ps",
        .use = "[options]",
        .summary = "List containers",
        .description = "Prints out information about the containers",
        .example = "cpod ps -a\ncpod ps -a --format \"{{.ID}}  {{.Image}}  {{.Labels}}  {{.Mounts}}\"\n"
                   "cpod ps --size --sort names",
        .opts = ps_opts,
        .opts_size = sizeof(struct ps_opts),
        .run = run_ps,
        .max_args = 0,
};

const struct cli_cmd cmd_container_list = {
        .name = "list",
        .aliases = CMD_ALIASES("ls", "ps"),
        .use = "[options]",
        .summary = "List containers",
        .description = "Prints out information about the containers",
        .opts = ps_opts,
        .opts_size = sizeof(struct ps_opts),
        .run = run_ps,
        .max_args = 0,
};
