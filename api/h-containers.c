/* SPDX-License-Identifier: Apache-2.0 */
/* Container listing, inspect and lifecycle: the same calls as cli/cmd-container*.c. */
#include <string.h>
#include <unistd.h>

#include <cpod/container.h>
#include <cpod/engine.h>

#include "api/ctr-docker.h"
#include "api/deferred.h"
#include "api/filters.h"
#include "api/server.h"
#include "api/handlers.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/signals.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* The filters query as cpod's container filter; false with a reply queued when it is not one. */
static bool list_filter(struct api_req *r, struct cpod_runtime *rt, struct cpod_ctr_filter **ret_f,
                        enum MHD_Result *ret)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_strv_ char **kv = api_filters(r, ret);

        if (!kv)
                return false;
        if (cpod_ctr_filter_new(rt, (const char *const *)kv, strv_length(kv), ret_f, &err) < 0) {
                *ret = api_reply_cpod_error(r, &err);
                return false;
        }
        return true;
}

/* size=1: SizeRw and SizeRootFs, as ps --size (a container whose layer cannot be read has none). */
static void add_size(struct cpod_runtime *rt, json_t *c)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        int64_t rw = 0, rootfs = 0;

        if (cpod_ctr_size(rt, api_str(c, "Id"), &rw, &rootfs, &err) < 0) {
                cpod_error_clear(&err);
                return;
        }
        json_object_set_new(c, "SizeRw", json_integer(rw));
        json_object_set_new(c, "SizeRootFs", json_integer(rootfs));
}

enum MHD_Result api_ctr_list(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *list = NULL;
        struct cpod_ctr_filter *f = NULL;
        long limit = api_query_int(r, "limit", -1);
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        json_t *out, *c;
        bool all, size;
        size_t i;

        if (!(rt = api_rt(r, &ret)) || !list_filter(r, rt, &f, &ret))
                return ret;
        /* As dockerd: a status filter looks at every container, not only running ones. */
        all = api_query_bool(r, "all", false) || limit > 0 || cpod_ctr_filter_has(f, "status");
        size = api_query_bool(r, "size", false);
        if (cpod_ctr_list(rt, all, &list, &err) < 0) {
                cpod_ctr_filter_free(f);
                return api_reply_cpod_error(r, &err);
        }
        out = json_array();
        json_array_foreach(list, i, c) {
                if (json_get_bool(c, "IsInfra", false) || !cpod_ctr_filter_match(f, c))
                        continue;
                if (limit > 0 && (long)json_array_size(out) >= limit)
                        break;
                json_array_append_new(out, api_docker_ctr_summary(c));
                if (size)
                        add_size(rt, json_array_get(out, json_array_size(out) - 1));
        }
        cpod_ctr_filter_free(f);
        return api_reply_json(r, 200, out);
}

enum MHD_Result api_ctr_inspect(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *o = NULL;
        struct cpod_runtime *rt;
        enum MHD_Result ret;

        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_ctr_inspect(rt, r->arg[0], api_query_bool(r, "size", false), &o, &err) < 0)
                return api_reply_cpod_error(r, &err);
        if (!json_is_object(o))
                return api_reply_error(r, 500, "inspect returned no object");
        api_docker_ctr_inspect(o);
        return api_reply_json(r, 200, json_incref(o));
}

/* Look the container up (404 when unknown), for the lifecycle handlers. */
static struct cpod_runtime *ctr_rt(struct api_req *r, char id[65], enum MHD_Result *ret)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt = api_rt(r, ret);

        if (rt && cpod_ctr_lookup(rt, r->arg[0], id, &err) < 0) {
                *ret = api_reply_cpod_error(r, &err);
                return NULL;
        }
        return rt;
}

enum MHD_Result api_ctr_start(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        char id[65];
        int n;

        if (!(rt = ctr_rt(r, id, &ret)))
                return ret;
        n = cpod_ctr_start(rt, id, &err);
        if (n < 0)
                return api_reply_cpod_error(r, &err);
        return api_reply_empty(r, n == 1 ? 304 : 204);
}

enum MHD_Result api_ctr_stop(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        char id[65];

        if (!(rt = ctr_rt(r, id, &ret)))
                return ret;
        if (!cpod_ctr_is_running(rt, id))
                return api_reply_empty(r, 304);
        if (cpod_ctr_stop(rt, id, (int)api_query_int(r, "t", -1), &err) < 0)
                return api_reply_cpod_error(r, &err);
        return api_reply_empty(r, 204);
}

enum MHD_Result api_ctr_restart(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        char id[65];

        if (!(rt = ctr_rt(r, id, &ret)))
                return ret;
        if (cpod_ctr_restart(rt, id, (int)api_query_int(r, "t", -1), &err) < 0)
                return api_reply_cpod_error(r, &err);
        return api_reply_empty(r, 204);
}

enum MHD_Result api_ctr_kill(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        const char *name = api_query(r, "signal");
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        int sig = name && *name ? signal_number(name) : 9;
        char id[65];

        if (sig <= 0)
                return api_reply_error(r, 400, "invalid signal: %s", name);
        if (!(rt = ctr_rt(r, id, &ret)))
                return ret;
        if (!cpod_ctr_is_running(rt, id))
                return api_reply_error(r, 409, "Container %s is not running", id);
        if (cpod_ctr_kill(rt, id, sig, &err) < 0)
                return api_reply_cpod_error(r, &err);
        return api_reply_empty(r, 204);
}

enum MHD_Result api_ctr_resize(struct api_req *r)
{
        long h = api_query_int(r, "h", -1), w = api_query_int(r, "w", -1);
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        char id[65];

        if (h < 0 || w < 0 || h > 65535 || w > 65535)
                return api_reply_error(r, 400, "resize: want h and w, numbers from 0 to 65535");
        if (!(rt = ctr_rt(r, id, &ret)))
                return ret;
        if (cpod_ctr_resize(rt, id, (int)h, (int)w, &err) < 0)
                return api_reply_cpod_error(r, &err);
        return api_reply_empty(r, 200);
}

enum MHD_Result api_ctr_delete(struct api_req *r)
{
        struct cpod_rm_opts o = { .force = api_query_bool(r, "force", false),
                                  .volumes = api_query_bool(r, "v", false),
                                  .timeout = -1 };
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        char id[65];

        if (!(rt = ctr_rt(r, id, &ret)))
                return ret;
        if (!o.force && cpod_ctr_is_running(rt, id))
                return api_reply_error(r, 409,
                                       "You cannot remove a running container %s. Stop the container before "
                                       "attempting removal or force remove",
                                       id);
        if (cpod_ctr_remove(rt, id, &o, &err) < 0)
                return api_reply_cpod_error(r, &err);
        return api_reply_empty(r, 204);
}

struct waiter {
        char id[65];
        bool next, removed;
        int hold;
};

static int wait_exit(struct cpod_runtime *rt, const struct waiter *w, int *code, cpod_error_t *err)
{
        static const enum cpod_ctr_state exited[] = { CPOD_CTR_STOPPED, CPOD_CTR_EXITED },
                                         not_running[] = { CPOD_CTR_CONFIGURED, CPOD_CTR_CREATED, CPOD_CTR_STOPPED,
                                                           CPOD_CTR_EXITED };

        return cpod_ctr_wait(rt, w->id, w->next ? exited : not_running, w->next ? 2 : 4, 100, code, err);
}

/* An attach stream holds the container until it has relayed the output: remove it after that (10 s at most). */
static void wait_unheld(struct cpod_runtime *rt, const char *id)
{
        for (int i = 0; i < 500 && cpod_ctr_held(rt, id); i++)
                usleep(20 * 1000);
}

static void produce_wait(void *ud, struct api_server *srv, int fd)
{
        struct waiter *w = ud;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt = NULL;
        _cleanup_free_ char *text = NULL;
        json_t *res;
        int code = -1;

        if (fd >= 0 && cpod_runtime_open(srv->opts->rt_opts, &rt, &err) == 0 && wait_exit(rt, w, &code, &err) == 0) {
                (void)close(w->hold);
                w->hold = -1;
                if (w->removed)
                        wait_unheld(rt, w->id);
                if (w->removed && cpod_ctr_cleanup(rt, w->id, false, &err) < 0)
                        cpod_error_clear(&err); /* removed meanwhile by someone else */
        }
        if (w->hold >= 0)
                (void)close(w->hold);
        res = err.kind == CPOD_E_NONE
                      ? json_pack("{s:i, s:n}", "StatusCode", code, "Error")
                      : json_pack("{s:i, s:{s:s}}", "StatusCode", code, "Error", "Message", cpod_error_msg(&err));
        text = json_dumps(res, JSON_COMPACT);
        json_decref(res);
        if (fd >= 0 && text) {
                (void)!write(fd, text, strlen(text));
                (void)!write(fd, "\n", 1);
        }
        cpod_error_clear(&err);
        cpod_runtime_unref(rt);
        free(w);
}

/*
 * wait: condition "not-running" (the default) returns at once for a container that is not
 * running; "next-exit" and "removed" wait for it to exit.  `docker run` asks before it starts the
 * container and waits for the headers first, so they go out at once and the body follows at the
 * exit.  The hold keeps an --rm container until its exit code is read; "removed" then removes it.
 */
enum MHD_Result api_ctr_wait(struct api_req *r)
{
        const char *cond = api_query(r, "condition");
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        struct waiter *w;
        char id[65];

        if (cond && *cond && strcmp(cond, "removed") != 0 && strcmp(cond, "next-exit") != 0 &&
            strcmp(cond, "not-running") != 0)
                return api_reply_error(r, 400, "invalid condition: \"%s\"", cond);
        if (!(rt = ctr_rt(r, id, &ret)))
                return ret;
        w = xnew0(struct waiter, 1);
        memcpy(w->id, id, sizeof(w->id));
        w->removed = cond && strcmp(cond, "removed") == 0;
        w->next = w->removed || (cond && strcmp(cond, "next-exit") == 0);
        w->hold = cpod_ctr_hold(rt, id, &err);
        if (w->hold < 0) {
                free(w);
                return api_reply_cpod_error(r, &err);
        }
        return api_reply_deferred(r, "application/json", produce_wait, w);
}
