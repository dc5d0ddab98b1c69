/* SPDX-License-Identifier: Apache-2.0 */
/* events: the event log, filtered, as podman's lines, JSON or a Go template; followed live by default. */
#include <stdio.h>
#include <string.h>

#include <cpod/events.h>

#include "cli/commands.h"
#include "cli/format.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

struct events_opts {
        struct strv filter;
        const char *format, *since, *until;
        bool stream, no_trunc;
};

static const struct cli_opt events_opts[] = {
        OPT_A("filter", 'f', struct events_opts, filter, "filter output"),
        OPT_S("format", 0, struct events_opts, format, NULL, "format the output using a Go template"),
        OPT("no-trunc", 0, OPT_BOOL, struct events_opts, no_trunc, NULL, "true", "do not truncate the output"),
        OPT_S("since", 0, struct events_opts, since, NULL, "show all events created since timestamp"),
        { "stream", 0, OPT_BOOL, offsetof(struct events_opts, stream), NULL, "stream new events; for testing only",
          "true", OPT_HIDDEN },
        OPT_S("until", 0, struct events_opts, until, NULL, "show all events until timestamp"),
        OPT_END,
};

struct printer {
        const struct events_opts *o;
        cpod_error_t *err;
};

/* The fields of podman's Event struct for a template (Time as Go prints a time.Time). */
static json_t *template_obj(json_t *ev)
{
        json_t *attrs = json_object_get(ev, "Attributes");
        const char *keys[][2] = { { "ID", "ID" },
                                  { "Image", "Image" },
                                  { "Name", "Name" },
                                  { "Network", "network" },
                                  { "Status", "Status" },
                                  { "Type", "Type" },
                                  { "HealthStatus", "health_status" },
                                  { "PodID", "PodID" } };
        json_t *o = json_object();

        json_object_set_new(o, "ContainerExitCode", json_integer(json_get_int(ev, "ContainerExitCode", 0)));
        for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
                const char *v = json_get_str(ev, keys[i][1]);
                json_object_set_new(o, keys[i][0], json_string(v ? v : ""));
        }
        json_object_set_new(o, "Time", json_string_take(cpod_event_time_string(ev)));
        json_object_set_new(o, "Attributes", json_is_object(attrs) ? json_incref(attrs) : json_object());
        return o;
}

static int print_event(const char *line, json_t *ev, void *userdata)
{
        struct printer *p = userdata;
        const char *f = p->o->format;

        if (f && fmt_is_json(f)) {
                printf("%s\n", line);
        } else if (f && *f) {
                _cleanup_json_ json_t *rows = json_array();
                json_array_append_new(rows, template_obj(ev));
                if (cli_print_list(stdout, f, NULL, NULL, rows, NULL, p->err) < 0)
                        return 1;
        } else {
                _cleanup_free_ char *s = cpod_event_human(ev);
                if (!p->o->no_trunc) {
                        const char *id = json_get_str(ev, "ID");
                        char *at = id && strlen(id) > 12 ? strstr(s, id) : NULL;
                        if (at)
                                memmove(at + 12, at + strlen(id), strlen(at + strlen(id)) + 1);
                }
                printf("%s\n", s);
        }
        return fflush(stdout) != 0 || ferror(stdout);
}

static int run_events(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct events_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct printer p = { o, &err };
        _cleanup_free_ const char **filters = xcalloc(o->filter.n + 1, sizeof(char *));
        struct cpod_events_opts eo = { .filters = filters, .since = o->since, .until = o->until, .stream = o->stream };

        (void)argc;
        (void)argv;
        for (size_t i = 0; i < o->filter.n; i++)
                filters[i] = o->filter.v[i];
        if (!cli_runtime(ctx, &err) || cpod_events_read(ctx->rt, &eo, print_event, &p, &err) < 0 ||
            err.kind != CPOD_E_NONE)
                return cli_fail(&err);
        return 0;
}

const struct cli_cmd cmd_events = {
        .name = "events",
        .use = "[options]",
        .summary = "Show podman events",
        .description = "Monitor podman events.\n\n  By default, streaming mode is used, printing new events as they "
                       "occur.  Previous events can be listed via --since and --until.",
        .example = "podman events\n  podman events --filter event=create\n  podman events --format {{.Image}}\n  "
                   "podman events --since 1h30s",
        .opts = events_opts,
        .opts_size = sizeof(struct events_opts),
        .run = run_events,
        .max_args = 0,
};
