/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GET /events: cpod's event log (cpod_events_read, what `cpod events` reads) streamed as Docker's
 * event objects (Type, Action, Actor {ID, Attributes}, scope, time, timeNano, and for containers
 * the older status, id, from), until `until` passes or the client goes away.  Docker's action names
 * stand for podman's where they differ: died is "die", remove is "destroy", in filters too.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cpod/events.h>

#include "api/deferred.h"
#include "api/filters.h"
#include "api/handlers.h"
#include "api/hijack.h"
#include "api/server.h"
#include "util/cleanup.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* podman's status and Docker's action for it, where they differ. */
static const char *const renames[][2] = { { "died", "die" }, { "remove", "destroy" } };

static const char *docker_action(const char *status)
{
        for (size_t i = 0; i < sizeof(renames) / sizeof(renames[0]); i++)
                if (strcmp(status, renames[i][0]) == 0)
                        return renames[i][1];
        return status;
}

static json_t *actor_attributes(json_t *ev, bool ctr)
{
        json_t *a = json_object_get(ev, "Attributes"), *code = json_object_get(ev, "ContainerExitCode");
        json_t *out = json_is_object(a) ? json_deep_copy(a) : json_object();

        if (*api_str(ev, "Name"))
                json_object_set_new(out, "name", json_string(api_str(ev, "Name")));
        if (ctr && *api_str(ev, "Image"))
                json_object_set_new(out, "image", json_string(api_str(ev, "Image")));
        if (json_is_integer(code))
                json_object_set_new(out, "exitCode",
                                    json_string_take(xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(code))));
        return out;
}

static json_t *docker_event(json_t *ev)
{
        const char *type = api_str(ev, "Type"), *id = api_str(ev, "ID"), *action = docker_action(api_str(ev, "Status"));
        bool ctr = strcmp(type, "container") == 0;
        int64_t sec = 0;
        long ns = 0;
        json_t *j;

        (void)time_parse_rfc3339(api_str(ev, "Time"), &sec, &ns);
        j = json_pack("{s:s, s:s, s:{s:s, s:o}, s:s, s:I, s:I}", "Type", type, "Action", action, "Actor", "ID",
                      *id ? id : api_str(ev, "Name"), "Attributes", actor_attributes(ev, ctr), "scope", "local", "time",
                      (json_int_t)sec, "timeNano", (json_int_t)(sec * 1000000000LL + ns));
        if (ctr) {
                json_object_set_new(j, "status", json_string(action));
                json_object_set_new(j, "id", json_string(id));
                json_object_set_new(j, "from", json_string(api_str(ev, "Image")));
        }
        return j;
}

/* A blank line this often: the only way to learn that a silent stream's client has gone. */
#define KEEPALIVE_S 5

struct events {
        char **filters;
        char *since, *until;
        int fd;
        pthread_mutex_t lock; /* one writer at a time: relay and keepalive */
        pthread_cond_t cond;
        bool done;
};

static int relay(const char *line, json_t *ev, void *ud)
{
        struct events *e = ud;
        _cleanup_free_ char *text = NULL;
        json_t *j = docker_event(ev);
        int r;

        (void)line;
        text = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        if (!text || e->fd < 0)
                return 0;
        pthread_mutex_lock(&e->lock);
        r = api_write_all(e->fd, text, strlen(text)) < 0 || api_write_all(e->fd, "\n", 1) < 0;
        pthread_mutex_unlock(&e->lock);
        return r;
}

/*
 * Every KEEPALIVE_S, a newline (JSON streams allow whitespace between values): the server's write
 * to a client that went away fails, the response and its pipe are closed, and the read of the log
 * stops (cpod_events_opts.watch_fd).
 */
static void *keepalive(void *arg)
{
        struct events *e = arg;
        struct timespec t;

        pthread_mutex_lock(&e->lock);
        while (!e->done) {
                clock_gettime(CLOCK_REALTIME, &t);
                t.tv_sec += KEEPALIVE_S;
                if (pthread_cond_timedwait(&e->cond, &e->lock, &t) != 0 && !e->done &&
                    api_write_all(e->fd, "\n", 1) < 0)
                        break;
        }
        pthread_mutex_unlock(&e->lock);
        return NULL;
}

static void events_free(struct events *e)
{
        pthread_mutex_destroy(&e->lock);
        pthread_cond_destroy(&e->cond);
        strv_free(e->filters);
        free(e->since);
        free(e->until);
        free(e);
}

static void produce(void *ud, struct api_server *srv, int fd)
{
        struct events *e = ud;
        struct cpod_events_opts o = { .filters = (const char *const *)e->filters,
                                      .since = e->since,
                                      .until = e->until,
                                      .stream = true,
                                      .watch_fd = fd };
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt = NULL;
        bool ka = false;
        pthread_t t;

        e->fd = fd;
        if (fd >= 0 && cpod_runtime_open(srv->opts->rt_opts, &rt, &err) == 0) {
                ka = pthread_create(&t, NULL, keepalive, e) == 0;
                (void)cpod_events_read(rt, &o, relay, e, &err);
        }
        if (ka) {
                pthread_mutex_lock(&e->lock);
                e->done = true;
                pthread_cond_signal(&e->cond);
                pthread_mutex_unlock(&e->lock);
                (void)pthread_join(t, NULL);
        }
        cpod_error_clear(&err);
        cpod_runtime_unref(rt);
        events_free(e);
}

/* Docker's event names in event= filters become podman's. */
static void podman_names(char **filters)
{
        for (char **f = filters; *f; f++) {
                if (strncmp(*f, "event=", 6) != 0)
                        continue;
                for (size_t i = 0; i < sizeof(renames) / sizeof(renames[0]); i++)
                        if (strcmp(*f + 6, renames[i][1]) == 0) {
                                free(*f);
                                *f = xasprintf("event=%s", renames[i][0]);
                                break;
                        }
        }
}

/* Check the filters and times before the 200 goes out: a bad one is a 400, not a cut stream. */
static bool check(struct api_req *r, struct events *e, enum MHD_Result *ret)
{
        struct cpod_events_opts o = { .filters = (const char *const *)e->filters,
                                      .since = e->since,
                                      .until = "1" }; /* long past: reads nothing, returns at once */
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt = api_rt(r, ret);

        if (!rt)
                return false;
        if (cpod_events_read(rt, &o, relay, e, &err) < 0) {
                *ret = api_reply_error(r, 400, "%s", cpod_error_msg(&err));
                cpod_error_clear(&err);
                return false;
        }
        return true;
}

enum MHD_Result api_events(struct api_req *r)
{
        const char *since = api_query(r, "since"), *until = api_query(r, "until");
        struct events *e;
        enum MHD_Result ret;
        char **filters = api_filters(r, &ret);

        if (!filters)
                return ret;
        podman_names(filters);
        e = xnew0(struct events, 1);
        e->filters = filters;
        e->since = since && *since ? xstrdup(since) : NULL;
        e->until = until && *until ? xstrdup(until) : NULL;
        e->fd = -1;
        pthread_mutex_init(&e->lock, NULL);
        pthread_cond_init(&e->cond, NULL);
        if (!check(r, e, &ret)) {
                produce(e, r->srv, -1);
                return ret;
        }
        return api_reply_deferred(r, "application/json", produce, e);
}
