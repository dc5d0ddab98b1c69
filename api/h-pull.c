/* SPDX-License-Identifier: Apache-2.0 */
/*
 * POST /images/create?fromImage=NAME&tag=TAG: cpod_image_pull, its events streamed as Docker's
 * JSON progress lines ({"status", "id", "progressDetail", "progress"}), an error as a last
 * {"errorDetail": {"message"}, "error"} line (the 200 is out by then, as with dockerd).  Credentials
 * come from cpod's auth files; import (fromSrc) and credentials in X-Registry-Auth are refused.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/registry.h>

#include "api/deferred.h"
#include "api/handlers.h"
#include "api/hijack.h"
#include "api/server.h"
#include "util/base64.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

struct pull {
        char *ref, *repo, *tag;
        int fd;
        bool failed_write;
        pthread_mutex_t lock;
        char (*ids)[13]; /* the short digests of the blobs, by event index */
        bool *skipped;
        size_t n;
};

static void emit(struct pull *p, json_t *j)
{
        char *text = json_dumps(j, JSON_COMPACT);

        json_decref(j);
        if (text && !p->failed_write &&
            (api_write_all(p->fd, text, strlen(text)) < 0 || api_write_all(p->fd, "\n", 1) < 0))
                p->failed_write = true; /* the client went away: the pull goes on, nobody reads */
        free(text);
}

static void status(struct pull *p, const char *st, const char *id)
{
        json_t *j = json_pack("{s:s}", "status", st);

        if (id) {
                json_object_set_new(j, "progressDetail", json_object());
                json_object_set_new(j, "id", json_string(id));
        }
        emit(p, j);
}

static void on_blob(struct pull *p, const struct cpod_pull_event *ev)
{
        const char *hex = strchr(ev->text, ':') ? strchr(ev->text, ':') + 1 : ev->text;

        if (ev->index < 0 || ev->index > 4096)
                return;
        if ((size_t)ev->index >= p->n) {
                p->ids = xreallocarray(p->ids, (size_t)ev->index + 1, sizeof(*p->ids));
                p->skipped = xreallocarray(p->skipped, (size_t)ev->index + 1, sizeof(*p->skipped));
                memset(p->ids + p->n, 0, ((size_t)ev->index + 1 - p->n) * sizeof(*p->ids));
                p->n = (size_t)ev->index + 1;
        }
        snprintf(p->ids[ev->index], sizeof(p->ids[0]), "%.12s", hex);
        p->skipped[ev->index] = ev->skipped;
        status(p, ev->skipped ? "Already exists" : "Pulling fs layer", p->ids[ev->index]);
}

static void on_progress(struct pull *p, const struct cpod_pull_event *ev)
{
        if (ev->index < 0 || (size_t)ev->index >= p->n)
                return;
        emit(p, json_pack("{s:s, s:{s:I, s:I}, s:s}", "status", "Downloading", "progressDetail", "current",
                          (json_int_t)ev->current, "total", (json_int_t)ev->total, "id", p->ids[ev->index]));
}

static void on_event(void *ud, const struct cpod_pull_event *ev)
{
        struct pull *p = ud;

        pthread_mutex_lock(&p->lock);
        switch (ev->kind) {
        case CPOD_PULL_EV_BLOB:
                on_blob(p, ev);
                break;
        case CPOD_PULL_EV_BLOB_PROGRESS:
                on_progress(p, ev);
                break;
        case CPOD_PULL_EV_CONFIG: /* every layer is in */
                for (size_t i = 0; i < p->n; i++)
                        if (!p->skipped[i] && p->ids[i][0]) {
                                status(p, "Download complete", p->ids[i]);
                                status(p, "Pull complete", p->ids[i]);
                        }
                break;
        default:
                break;
        }
        pthread_mutex_unlock(&p->lock);
}

static void pull_free(struct pull *p)
{
        pthread_mutex_destroy(&p->lock);
        free(p->ids);
        free(p->skipped);
        free(p->ref);
        free(p->repo);
        free(p->tag);
        free(p);
}

static void produce(void *ud, struct api_server *srv, int fd)
{
        struct pull *p = ud;
        struct cpod_pull_opts o = { .reg = CPOD_REGISTRY_OPTS_INIT, .event = on_event, .event_ud = p };
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *ids = NULL;
        struct cpod_runtime *rt = NULL;

        p->fd = fd;
        if (fd >= 0) {
                _cleanup_free_ char *from = xasprintf("Pulling from %s", p->repo);
                emit(p, json_pack("{s:s, s:s}", "status", from, "id", p->tag));
                if (cpod_runtime_open(srv->opts->rt_opts, &rt, &err) == 0 &&
                    cpod_image_pull(rt, p->ref, &o, &ids, &err) == 0) {
                        _cleanup_free_ char *done = xasprintf("Status: Downloaded newer image for %s", p->ref);
                        status(p, done, NULL);
                } else {
                        const char *m = cpod_error_msg(&err);
                        emit(p, json_pack("{s:{s:s}, s:s}", "errorDetail", "message", m, "error", m));
                }
        }
        cpod_error_clear(&err);
        cpod_runtime_unref(rt);
        pull_free(p);
}

/* X-Registry-Auth: absent, or base64 JSON whose members are all empty (what clients send without a login). */
static bool no_credentials(struct api_req *r)
{
        const char *a = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Registry-Auth");
        _cleanup_free_ char *text = NULL;
        _cleanup_json_ json_t *j = NULL;
        const char *k;
        json_t *v;
        size_t len;

        if (!a || !*a)
                return true;
        if (!(text = b64_decode(a, true, &len)) || !(j = json_loadb(text, len, 0, NULL)))
                return false;
        if (json_is_null(j))
                return true;
        if (!json_is_object(j))
                return false;
        json_object_foreach(j, k, v)
                if (!(json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0)))
                        return false;
        return true;
}

enum MHD_Result api_image_create(struct api_req *r)
{
        const char *from = api_query(r, "fromImage"), *tag = api_query(r, "tag"), *plat = api_query(r, "platform");
        const char *src = api_query(r, "fromSrc");
        struct pull *p;

        if (src && *src)
                return api_reply_error(r, 501, "importing (fromSrc) is not supported by cpod's API");
        if (!from || !*from)
                return api_reply_error(r, 400, "fromImage is required");
        if (plat && *plat)
                return api_reply_error(r, 501, "platform is not supported by cpod's API yet");
        if (!no_credentials(r))
                return api_reply_error(r, 501,
                                       "credentials in X-Registry-Auth are not supported by cpod's API: "
                                       "log in with cpod login");
        p = xnew0(struct pull, 1);
        pthread_mutex_init(&p->lock, NULL);
        p->fd = -1;
        if (!tag || !*tag)
                p->ref = xstrdup(from);
        else
                p->ref = xasprintf("%s%c%s", from, strncmp(tag, "sha256:", 7) == 0 ? '@' : ':', tag);
        p->repo = xstrdup(from);
        p->tag = xstrdup(tag && *tag ? tag : "latest");
        return api_reply_deferred(r, "application/json", produce, p);
}
