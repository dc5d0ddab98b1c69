/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Docker's exec endpoints: POST /containers/{id}/exec records a session (exec-table.c), POST
 * /exec/{id}/start runs it (exec-run.c) detached, on a hijacked connection, or as a 200 stream
 * without stdin for clients that do not upgrade; GET /exec/{id}/json and POST /exec/{id}/resize.
 * A member of a body that cpod does not know is refused unless it is empty.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <cpod/container.h>

#include "api/exec-run.h"
#include "api/handlers.h"
#include "api/server.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/random.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* Detach at create is what the client will ask at start (dockerd reads only the start's); docker-py
 * repeats the path's container as Container. */
static const char *const create_members[] = { "AttachStdin", "AttachStdout", "AttachStderr", "DetachKeys", "Tty",
                                              "Env",         "Cmd",          "Privileged",   "User",       "WorkingDir",
                                              "ConsoleSize", "Detach",       "Container",    NULL };
static const char *const start_members[] = { "Detach", "Tty", "ConsoleSize", NULL };

/* The first member not in known with a value that is not empty, or NULL. */
static const char *unknown_member(json_t *body, const char *const *known)
{
        const char *k;
        json_t *v;

        json_object_foreach(body, k, v) {
                bool ok = json_is_null(v) || json_is_false(v);
                for (const char *const *m = known; !ok && *m; m++)
                        ok = strcmp(*m, k) == 0;
                if (!ok)
                        return k;
        }
        return NULL;
}

/* A string array member as a NULL-terminated vector; false when it is not one. */
static bool strings(json_t *body, const char *key, char ***ret)
{
        json_t *a = json_object_get(body, key), *v;
        size_t i;

        *ret = xnew0(char *, 1);
        if (!a || json_is_null(a))
                return true;
        if (!json_is_array(a))
                return false;
        json_array_foreach(a, i, v) {
                if (!json_is_string(v))
                        return false;
                strv_add(ret, json_string_value(v));
        }
        return true;
}

/* [height, width] of ConsoleSize into e; false when malformed. */
static bool console_size(json_t *body, int *rows, int *cols)
{
        json_t *cs = json_object_get(body, "ConsoleSize");

        if (!cs || json_is_null(cs))
                return true;
        if (!json_is_array(cs) || json_array_size(cs) != 2 || !json_is_integer(json_array_get(cs, 0)) ||
            !json_is_integer(json_array_get(cs, 1)))
                return false;
        *rows = (int)json_integer_value(json_array_get(cs, 0));
        *cols = (int)json_integer_value(json_array_get(cs, 1));
        return *rows >= 0 && *cols >= 0 && *rows < 65536 && *cols < 65536;
}

static char *opt_str(json_t *body, const char *key)
{
        const char *v = api_str(body, key);

        return *v ? xstrdup(v) : NULL;
}

/* The session of a create body; NULL with *msg set when the body is not one cpod can run. */
static struct api_exec *exec_new(json_t *body, const char **msg)
{
        struct api_exec *e = xnew0(struct api_exec, 1);
        const char *bad = unknown_member(body, create_members);

        e->pty = -1;
        if (bad)
                *msg = bad;
        else if (!strings(body, "Cmd", &e->argv) || !e->argv[0])
                *msg = "Cmd";
        else if (!strings(body, "Env", &e->env))
                *msg = "Env";
        else if (!console_size(body, &e->rows, &e->cols))
                *msg = "ConsoleSize";
        for (char **v = e->env; !*msg && *v; v++)
                if (!strchr(*v, '='))
                        *msg = "Env"; /* a bare NAME (take it from the caller's environment) needs a client */
        if (*msg) {
                strv_free(e->argv);
                strv_free(e->env);
                free(e);
                return NULL;
        }
        e->user = opt_str(body, "User");
        e->workdir = opt_str(body, "WorkingDir");
        e->detach_keys = opt_str(body, "DetachKeys");
        e->tty = json_get_bool(body, "Tty", false);
        e->privileged = json_get_bool(body, "Privileged", false);
        e->attach_in = json_get_bool(body, "AttachStdin", false);
        e->attach_out = json_get_bool(body, "AttachStdout", false);
        e->attach_err = json_get_bool(body, "AttachStderr", false);
        return e;
}

/* Is the container running?  Queues 404/409 and returns false when not. */
static bool running(struct api_req *r, const char *name, char id[65], enum MHD_Result *ret)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *o = NULL;
        struct cpod_runtime *rt = api_rt(r, ret);

        if (!rt)
                return false;
        if (cpod_ctr_lookup(rt, name, id, &err) < 0 || cpod_ctr_inspect(rt, id, false, &o, &err) < 0) {
                *ret = api_reply_cpod_error(r, &err);
                return false;
        }
        if (!json_get_bool(json_object_get(o, "State"), "Running", false)) {
                *ret = api_reply_error(r, 409, "Container %s is not running", id);
                return false;
        }
        return true;
}

enum MHD_Result api_exec_create(struct api_req *r)
{
        _cleanup_json_ json_t *body = NULL;
        const char *bad = NULL;
        enum MHD_Result ret;
        struct api_exec *e;
        unsigned char rnd[32];
        char id[65];

        if (!(body = api_body_json(r, true, &ret)))
                return ret;
        if (!(e = exec_new(body, &bad))) {
                if (strcmp(bad, "Cmd") == 0)
                        return api_reply_error(r, 400, "No exec command specified");
                return api_reply_error(r, 400, "exec: %s is not supported by cpod or is malformed", bad);
        }
        if (!running(r, r->arg[0], id, &ret)) {
                e->refs = 1;
                api_exec_put(&r->srv->execs, e);
                return ret;
        }
        memcpy(e->ctr, id, sizeof(e->ctr));
        random_bytes(rnd, sizeof(rnd));
        for (size_t i = 0; i < sizeof(rnd); i++)
                snprintf(e->id + 2 * i, 3, "%02x", rnd[i]);
        api_exec_add(&r->srv->execs, e);
        return api_reply_json(r, 201, json_pack("{s:s}", "Id", e->id));
}

static struct api_exec *exec_get(struct api_req *r, enum MHD_Result *ret)
{
        struct api_exec *e = api_exec_get(&r->srv->execs, r->arg[0]);

        if (!e)
                *ret = api_reply_error(r, 404, "No such exec instance: %s", r->arg[0]);
        return e;
}

enum MHD_Result api_exec_inspect(struct api_req *r)
{
        enum MHD_Result ret;
        struct api_exec *e = exec_get(r, &ret);

        if (!e)
                return ret;
        ret = api_reply_json(r, 200, api_exec_json(&r->srv->execs, e));
        api_exec_put(&r->srv->execs, e);
        return ret;
}

enum MHD_Result api_exec_resize_h(struct api_req *r)
{
        long h = api_query_int(r, "h", -1), w = api_query_int(r, "w", -1);
        enum MHD_Result ret;
        struct api_exec *e;
        int rc;

        if (h < 0 || w < 0 || h > 65535 || w > 65535)
                return api_reply_error(r, 400, "resize: want h and w, numbers from 0 to 65535");
        if (!(e = exec_get(r, &ret)))
                return ret;
        rc = api_exec_resize(&r->srv->execs, e, (int)h, (int)w);
        api_exec_put(&r->srv->execs, e);
        if (rc == -ENOTTY)
                return api_reply_error(r, 409, "exec session %s has no tty", r->arg[0]);
        if (rc < 0)
                return api_reply_error(r, 500, "resize: %s", strerror(-rc));
        return api_reply_empty(r, 200);
}

struct start {
        struct api_server *srv;
        struct api_exec *e;
};

static void on_upgraded(void *ud, struct api_conn *conn)
{
        struct start *st = ud;

        api_exec_run(st->srv, st->e, conn, -1);
        free(st);
}

/* Output only, as a 200 stream (a client that did not ask for the upgrade cannot send stdin). */
static enum MHD_Result reply_stream(struct api_req *r, struct api_exec *e)
{
        struct MHD_Response *resp;
        enum MHD_Result ret;
        int p[2];

        if (pipe2(p, O_CLOEXEC) < 0) {
                api_exec_put(&r->srv->execs, e);
                return api_reply_error(r, 500, "pipe: %s", strerror(errno));
        }
        if (!(resp = MHD_create_response_from_pipe(p[0]))) {
                (void)close(p[0]);
                (void)close(p[1]);
                api_exec_put(&r->srv->execs, e);
                return MHD_NO;
        }
        (void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, api_stream_type(e->tty));
        (void)MHD_add_response_header(resp, "Api-Version", "1.41");
        ret = MHD_queue_response(r->conn, 200, resp);
        MHD_destroy_response(resp);
        api_exec_run(r->srv, e, NULL, p[1]);
        return ret;
}

/* Check the start body against the session; NULL when it is fine, else the complaint. */
static const char *check_start(struct api_execs *t, json_t *body, struct api_exec *e)
{
        json_t *tty = json_object_get(body, "Tty");
        int rows = 0, cols = 0;

        if (unknown_member(body, start_members))
                return "exec start: a member is not supported by cpod";
        if (tty && json_is_boolean(tty) && json_is_true(tty) != e->tty)
                return "exec start: Tty must be as the exec was created";
        if (!console_size(body, &rows, &cols))
                return "exec start: malformed ConsoleSize";
        if (rows > 0 && cols > 0)
                (void)api_exec_resize(t, e, rows, cols);
        return NULL;
}

enum MHD_Result api_exec_start(struct api_req *r)
{
        _cleanup_json_ json_t *body = NULL;
        enum MHD_Result ret;
        struct api_exec *e;
        const char *bad;
        struct start *st;
        char id[65];

        if (!(body = api_body_json(r, false, &ret)))
                return ret;
        if (!(e = exec_get(r, &ret)))
                return ret;
        if ((bad = check_start(&r->srv->execs, body, e))) {
                api_exec_put(&r->srv->execs, e);
                return api_reply_error(r, 400, "%s", bad);
        }
        if (!running(r, e->ctr, id, &ret)) {
                api_exec_put(&r->srv->execs, e);
                return ret;
        }
        if (!api_exec_begin(&r->srv->execs, e)) {
                api_exec_put(&r->srv->execs, e);
                return api_reply_error(r, 409, "exec session %s has already been started", e->id);
        }
        if (json_get_bool(body, "Detach", false)) {
                api_exec_run(r->srv, e, NULL, -1);
                return api_reply_empty(r, 200);
        }
        if (!api_wants_upgrade(r))
                return reply_stream(r, e);
        st = xnew0(struct start, 1);
        *st = (struct start){ .srv = r->srv, .e = e };
        return api_reply_upgrade(r, api_stream_type(e->tty), on_upgraded, st);
}
