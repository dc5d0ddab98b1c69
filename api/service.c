/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The service loop.  libmicrohttpd runs one thread per connection: handlers call library
 * operations that block (wait, stop with a timeout, pulls, attach), and a thread per connection
 * keeps one slow call from holding up the others without turning every library call into a
 * callback.  Each request opens its own runtime handle, so requests share nothing but the
 * store's locks, as two CLI commands do.  The idle timer counts connections and stream threads.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "api/handlers.h"
#include "api/listen.h"
#include "api/mhd-shim.h"
#include "api/server.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#define MAX_CONNECTIONS 512
#define CONNECTION_TIMEOUT_S 300          /* a client silent this long mid-request is dropped */
#define MEMORY_PER_CONNECTION (64 * 1024) /* request line and headers must fit */

static long long now_s(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec;
}

void api_server_hold(struct api_server *s)
{
        atomic_fetch_add(&s->active, 1);
        atomic_store(&s->last_active, now_s());
}

void api_server_release(struct api_server *s)
{
        atomic_fetch_sub(&s->active, 1);
        atomic_store(&s->last_active, now_s());
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx,
                          enum MHD_ConnectionNotificationCode code)
{
        if (code == MHD_CONNECTION_NOTIFY_STARTED)
                api_server_hold(cls);
        else if (code == MHD_CONNECTION_NOTIFY_CLOSED)
                api_server_release(cls);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
        struct api_req *r = *con_cls;

        if (!r)
                return;
        if (r->sink_ud && r->sink_free)
                r->sink_free(r->sink_ud); /* the client went away in the middle of a streamed body */
        free(r->path);
        free(r->argbuf);
        strbuf_release(&r->body);
        cpod_runtime_unref(r->rt);
        free(r);
        *con_cls = NULL;
}

/* Strip "/v1.NN"; versions newer than ours are refused (as Docker does) once the body is read. */
static void set_path(struct api_req *r, const char *url)
{
        unsigned major, minor;
        int n = 0;

        if (sscanf(url, "/v%u.%u%n", &major, &minor, &n) == 2 && n > 0 && (url[n] == '/' || !url[n])) {
                if (major > 1 || (major == 1 && minor > 41))
                        snprintf(r->bad_version, sizeof(r->bad_version), "%u.%u", major, minor);
                url += n;
        }
        r->path = xstrdup(*url ? url : "/");
}

static void take_chunk(struct api_req *r, const char *upload, size_t len)
{
        if (r->sink) {
                if (!r->sink_failed && r->sink(r->sink_ud, upload, len) < 0)
                        r->sink_failed = true;
        } else if (r->body.len + len > API_MAX_BODY) {
                r->too_big = true;
        } else {
                strbuf_add(&r->body, upload, len);
        }
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
        struct api_req *r = *con_cls;

        if (!r) {
                r = xnew0(struct api_req, 1);
                r->srv = cls;
                r->conn = c;
                r->method = method;
                strbuf_init(&r->body, 0);
                set_path(r, url);
                if (!r->bad_version[0])
                        api_route_begin(r);
                *con_cls = r;
                return MHD_YES;
        }
        if (*upload_size) {
                take_chunk(r, upload, *upload_size);
                *upload_size = 0;
                return MHD_YES;
        }
        if (r->bad_version[0])
                return api_reply_error(r, 400, "client version %s is too new. Maximum supported API version is 1.41",
                                       r->bad_version);
        if (r->too_big)
                return api_reply_error(r, 413, "request body larger than %d bytes", API_MAX_BODY);
        return api_route(r);
}

static struct MHD_Daemon *start_daemon(struct api_server *s, int fd)
{
        return MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
                                        MHD_ALLOW_UPGRADE | MHD_USE_ITC,
                                0, NULL, NULL, on_request, s, MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_CONNECTION_LIMIT,
                                (unsigned)MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT,
                                (unsigned)CONNECTION_TIMEOUT_S, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
                                (size_t)MEMORY_PER_CONNECTION, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                                MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_END);
}

/* Wait for SIGINT/SIGTERM, or until nothing was connected for idle_secs (0: never). */
static void wait_for_end(struct api_server *s, int idle_secs)
{
        sigset_t set;
        _cleanup_close_ int sfd = -1;

        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        /* The daemon's threads inherit this mask: the signals reach the signalfd only. */
        sfd = signalfd(-1, &set, SFD_CLOEXEC);
        for (;;) {
                struct pollfd p = { .fd = sfd, .events = POLLIN };
                if (poll(&p, 1, 250) > 0)
                        return;
                if (idle_secs > 0 && atomic_load(&s->active) == 0 &&
                    now_s() - atomic_load(&s->last_active) >= idle_secs)
                        return;
        }
}

int api_service_run(const struct api_service_opts *o, cpod_error_t *err)
{
        struct api_server s = { .opts = o };
        _cleanup_free_ char *path = NULL, *warn = NULL;
        struct MHD_Daemon *d;
        sigset_t set;
        int fd;

        if (mhd_shim_open(err) < 0)
                return cpod_error_rc(err, -ENOENT);
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGPIPE); /* a client gone mid-stream is an EPIPE, not the end of the service */
        pthread_sigmask(SIG_BLOCK, &set, NULL);
        fd = api_listen(o->uri ? o->uri : API_DEFAULT_URI, &path, &warn, err);
        if (fd < 0)
                return fd;
        if (warn && o->warn)
                o->warn(warn);
        atomic_store(&s.last_active, now_s());
        api_execs_init(&s.execs);
        d = start_daemon(&s, fd);
        if (!d) {
                (void)close(fd);
                api_execs_release(&s.execs);
                return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "start the HTTP server");
        }
        wait_for_end(&s, o->idle_secs);
        /* No new connections; then give running requests a moment to finish. */
        (void)MHD_quiesce_daemon(d);
        if (path)
                (void)unlink(path);
        for (int i = 0; i < 20 && atomic_load(&s.active) > 0; i++)
                usleep(100 * 1000);
        /* MHD_stop_daemon joins the connection threads: one blocked in a wait would hold the exit
         * forever, so when some are left the process ends without joining them. */
        if (atomic_load(&s.active) == 0) {
                MHD_stop_daemon(d);
                (void)close(fd);
                api_execs_release(&s.execs);
        }
        return 0;
}
