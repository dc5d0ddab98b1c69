/* SPDX-License-Identifier: Apache-2.0 */
/*
 * logs and attach: a stream thread relays the container's log (cpod_ctr_logs) into the
 * connection, framed with Docker's 8-byte header (stream, 0, 0, 0, big-endian length) unless the
 * container has a tty.  attach hijacks the connection (101 UPGRADED) when the client asks to, and
 * relays what the container writes from the moment of the request: `docker run` attaches before
 * it starts the container, and the log holds every byte, however fast the container exits.
 * With stdin=1 on a hijacked connection, what the client sends goes to the container's stdin through
 * conmon's attach socket (cpod_ctr_attach with stdin_only) from when it runs, until the client
 * half-closes; the output still comes from the log.  An attach holds the container
 * (cpod_ctr_hold), so that `docker run --rm` removes it only once this stream has relayed the
 * output (api_ctr_wait waits for the hold to go).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cpod/container.h>

#include "api/handlers.h"
#include "api/hijack.h"
#include "api/server.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

struct stream {
        struct api_server *srv;
        char id[65];
        int fd;   /* the socket (attach) or the pipe's write end */
        int hold; /* attach: keeps an --rm container until its output is relayed (cpod_ctr_hold) */
        struct api_conn *conn;
        bool tty, in, out, err, timestamps, attach;
        struct cpod_logs_opts lo;
        char *since, *until, *started; /* owned strings behind lo, and State.StartedAt at attach */
};

static int relay_line(void *ud, const struct cpod_log_line *l)
{
        struct stream *s = ud;
        _cleanup_free_ char *ts = NULL, *frame = NULL;
        size_t tlen = 0, len;
        unsigned char hdr[8] = { l->stream == 'e' ? 2 : 1 };

        if ((l->stream == 'e' && !s->err) || (l->stream != 'e' && !s->out))
                return 0;
        if (s->timestamps) {
                time_t sec = (time_t)(l->ts_ns / 1000000000);
                struct tm tm;
                char buf[32];
                gmtime_r(&sec, &tm);
                strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
                ts = xasprintf("%s.%09lldZ ", buf, (long long)(l->ts_ns % 1000000000));
                tlen = strlen(ts);
        }
        len = tlen + l->len + (l->newline ? 1 : 0);
        frame = xmalloc(len + 8);
        hdr[4] = (unsigned char)(len >> 24);
        hdr[5] = (unsigned char)(len >> 16);
        hdr[6] = (unsigned char)(len >> 8);
        hdr[7] = (unsigned char)len;
        memcpy(frame, hdr, 8);
        if (tlen)
                memcpy(frame + 8, ts, tlen);
        memcpy(frame + 8 + tlen, l->msg, l->len);
        if (l->newline)
                frame[8 + len - 1] = '\n';
        return s->tty ? api_write_all(s->fd, frame + 8, len) : api_write_all(s->fd, frame, len + 8);
}

/* State.StartedAt, or NULL when the container is gone. */
static char *started_at(struct cpod_runtime *rt, const char *id, bool *ret_running)
{
        _cleanup_json_ json_t *o = NULL;
        cpod_error_t err = CPOD_ERROR_INIT;
        json_t *state;

        if (cpod_ctr_inspect(rt, id, false, &o, &err) < 0) {
                cpod_error_clear(&err);
                return NULL;
        }
        state = json_object_get(o, "State");
        *ret_running = json_get_bool(state, "Running", false);
        return xstrdup(api_str(state, "StartedAt"));
}

/* Attach: wait until the container has started since the request (or is running). */
static bool wait_started(struct cpod_runtime *rt, struct stream *s)
{
        for (;;) {
                bool running = false;
                _cleanup_free_ char *now = started_at(rt, s->id, &running);
                if (!now)
                        return false;
                struct pollfd p = { .fd = s->fd, .events = 0 };
                if (running || strcmp(now, s->started) != 0)
                        return true;
                /* The client gave up before the container started (it may close its sending side). */
                if (poll(&p, 1, 50) > 0 && (p.revents & (POLLHUP | POLLERR)))
                        return false;
        }
}

static void stream_free(struct stream *s)
{
        if (s->hold >= 0)
                (void)close(s->hold);
        free(s->since);
        free(s->until);
        free(s->started);
        free(s);
}

/* The client's bytes to the container's stdin, until the client half-closes or the container exits. */
static void *stdin_thread(void *arg)
{
        struct stream *s = arg;
        struct cpod_attach_streams as = {
                .in = s->fd, .out = -1, .err = -1, .tty = s->tty, .detach_keys = "", .stdin_only = true
        };
        struct cpod_runtime *rt = NULL;
        cpod_error_t err = CPOD_ERROR_INIT;
        bool detached;
        int code;

        if (cpod_runtime_open(s->srv->opts->rt_opts, &rt, &err) == 0)
                (void)cpod_ctr_attach(rt, s->id, &as, &code, &detached, &err);
        cpod_error_clear(&err);
        cpod_runtime_unref(rt);
        return NULL;
}

static void relay(struct stream *s, struct cpod_runtime *rt)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        pthread_t t;
        bool in = s->in && pthread_create(&t, NULL, stdin_thread, s) == 0;

        (void)cpod_ctr_logs(rt, s->id, &s->lo, relay_line, s, &err);
        cpod_error_clear(&err);
        if (in) {
                /* The output is over: so is the input (the client may still hold its side open). */
                (void)shutdown(s->fd, SHUT_RD);
                (void)pthread_join(t, NULL);
        }
}

static void *stream_thread(void *arg)
{
        struct stream *s = arg;
        struct cpod_runtime *rt = NULL;
        cpod_error_t err = CPOD_ERROR_INIT;

        if (cpod_runtime_open(s->srv->opts->rt_opts, &rt, &err) == 0 && (!s->attach || wait_started(rt, s)))
                relay(s, rt);
        cpod_error_clear(&err);
        cpod_runtime_unref(rt);
        if (s->conn)
                api_conn_close(s->conn);
        else
                (void)close(s->fd);
        api_server_release(s->srv);
        stream_free(s);
        return NULL;
}

static void start_thread(struct stream *s)
{
        pthread_attr_t attr;
        pthread_t t;

        api_server_hold(s->srv);
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&t, &attr, stream_thread, s) != 0) {
                /* Without a thread the stream ends at once: the client sees EOF. */
                if (s->conn)
                        api_conn_close(s->conn);
                else
                        (void)close(s->fd);
                api_server_release(s->srv);
                stream_free(s);
        }
        pthread_attr_destroy(&attr);
}

static void on_upgraded(void *ud, struct api_conn *conn)
{
        struct stream *s = ud;

        s->fd = conn->fd;
        s->conn = conn;
        start_thread(s);
}

/* The stream as a 200 response read from a pipe the thread writes. */
static enum MHD_Result reply_pipe(struct api_req *r, struct stream *s, const char *type)
{
        struct MHD_Response *resp;
        enum MHD_Result ret;
        int p[2];

        if (pipe2(p, O_CLOEXEC) < 0) {
                stream_free(s);
                return api_reply_error(r, 500, "pipe: %s", strerror(errno));
        }
        resp = MHD_create_response_from_pipe(p[0]);
        if (!resp) {
                (void)close(p[0]);
                (void)close(p[1]);
                stream_free(s);
                return MHD_NO;
        }
        s->fd = p[1];
        (void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
        (void)MHD_add_response_header(resp, "Api-Version", "1.41");
        ret = MHD_queue_response(r->conn, 200, resp);
        MHD_destroy_response(resp);
        start_thread(s);
        return ret;
}

/* Look up the container and fill what both endpoints need; NULL with *ret queued on error. */
static struct stream *stream_new(struct api_req *r, enum MHD_Result *ret)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *o = NULL;
        struct cpod_runtime *rt = api_rt(r, ret);
        struct stream *s;

        if (!rt)
                return NULL;
        s = xnew0(struct stream, 1);
        if (cpod_ctr_lookup(rt, r->arg[0], s->id, &err) < 0 || cpod_ctr_inspect(rt, s->id, false, &o, &err) < 0) {
                free(s);
                *ret = api_reply_cpod_error(r, &err);
                return NULL;
        }
        s->srv = r->srv;
        s->fd = -1;
        s->hold = -1;
        s->tty = json_get_bool(json_object_get(o, "Config"), "Tty", false);
        s->started = xstrdup(api_str(json_object_get(o, "State"), "StartedAt"));
        s->out = api_query_bool(r, "stdout", false);
        s->err = api_query_bool(r, "stderr", false);
        s->lo.tail = -1;
        return s;
}

enum MHD_Result api_ctr_logs(struct api_req *r)
{
        const char *tail = api_query(r, "tail"), *since = api_query(r, "since"), *until = api_query(r, "until");
        enum MHD_Result ret;
        struct stream *s;

        if (!api_query_bool(r, "stdout", false) && !api_query_bool(r, "stderr", false))
                return api_reply_error(r, 400, "you must choose at least one stream");
        if (api_query_bool(r, "details", false))
                return api_reply_error(r, 501, "details (the log driver's extra attributes) are not supported by cpod");
        if (!(s = stream_new(r, &ret)))
                return ret;
        s->timestamps = api_query_bool(r, "timestamps", false);
        s->lo.follow = api_query_bool(r, "follow", false);
        if (tail && *tail && strcmp(tail, "all") != 0)
                s->lo.tail = strtol(tail, NULL, 10);
        if (since && *since && strcmp(since, "0") != 0)
                s->lo.since = s->since = xstrdup(since);
        if (until && *until && strcmp(until, "0") != 0)
                s->lo.until = s->until = xstrdup(until);
        return reply_pipe(r, s, api_stream_type(s->tty));
}

enum MHD_Result api_ctr_attach(struct api_req *r)
{
        const char *keys = api_query(r, "detachKeys");
        bool upgrade = api_wants_upgrade(r);
        struct timespec now;
        enum MHD_Result ret;
        struct stream *s;

        if (keys && *keys)
                return api_reply_error(r, 400, "detachKeys: detaching from an attach is not supported by cpod's API");
        if (api_query_bool(r, "stdin", false) && !upgrade)
                return api_reply_error(r, 400, "attaching stdin needs a hijacked connection (Upgrade: tcp)");
        if (!(s = stream_new(r, &ret)))
                return ret;
        s->attach = true;
        s->in = api_query_bool(r, "stdin", false);
        /* `docker run --rm` waits for "removed": the removal waits for this stream (api_ctr_wait). */
        s->hold = cpod_ctr_hold(r->rt, s->id, NULL); /* r->rt: stream_new opened it */
        s->lo.follow = api_query_bool(r, "stream", false);
        if (!api_query_bool(r, "logs", false)) {
                clock_gettime(CLOCK_REALTIME, &now);
                s->lo.since = s->since = xasprintf("%lld.%09ld", (long long)now.tv_sec, now.tv_nsec);
        }
        if (!upgrade)
                return reply_pipe(r, s, api_stream_type(s->tty));
        return api_reply_upgrade(r, api_stream_type(s->tty), on_upgraded, s);
}
