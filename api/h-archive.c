/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GET, HEAD and PUT /containers/{id}/archive (docker cp both ways) on cpod_ctr_copy, the same
 * confined copier as `cpod cp`: paths resolve inside the container's root whatever its symlinks
 * say.  GET writes a tar of the path; HEAD and GET describe it in X-Docker-Container-Path-Stat
 * (base64 JSON: name, size, mode as Go's os.FileMode, mtime, linkTarget).  PUT extracts the
 * body, a tar, into the directory at path; the body is streamed into the copier as it arrives
 * (api_req.sink), so it has no size limit.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cpod/container.h>

#include "api/deferred.h"
#include "api/handlers.h"
#include "api/hijack.h"
#include "api/server.h"
#include "util/base64.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* Go's os.FileMode of a stat mode: permissions, and the type and special bits where Go has them. */
static json_int_t go_mode(mode_t m)
{
        json_int_t g = m & 0777;

        if (m & S_ISUID)
                g |= 1LL << 23;
        if (m & S_ISGID)
                g |= 1LL << 22;
        if (m & S_ISVTX)
                g |= 1LL << 20;
        if (S_ISDIR(m))
                g |= 1LL << 31;
        else if (S_ISLNK(m))
                g |= 1LL << 27;
        else if (S_ISBLK(m))
                g |= 1LL << 26;
        else if (S_ISCHR(m))
                g |= (1LL << 26) | (1LL << 21);
        else if (S_ISFIFO(m))
                g |= 1LL << 25;
        else if (S_ISSOCK(m))
                g |= 1LL << 24;
        return g;
}

/* The stat header's value for path in the container; NULL with *ret queued on error. */
static char *path_stat(struct api_req *r, const char *path, enum MHD_Result *ret)
{
        struct cpod_runtime *rt = api_rt(r, ret);
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_free_ char *canon = NULL, *text = NULL;
        const char *base = strrchr(path, '/');
        _cleanup_json_ json_t *j = NULL;
        struct stat st;
        struct tm tm;
        char mtime[64];

        if (!rt)
                return NULL;
        if (cpod_ctr_stat_path(rt, r->arg[0], path, &st, &canon, &err) < 0) {
                *ret = api_reply_cpod_error(r, &err);
                return NULL;
        }
        gmtime_r(&st.st_mtim.tv_sec, &tm);
        strftime(mtime, sizeof(mtime), "%Y-%m-%dT%H:%M:%SZ", &tm);
        /* The name the client gave, and the stat of what it leads to (symlinks followed): no link. */
        base = base && base[1] ? base + 1 : path;
        j = json_pack("{s:s, s:I, s:I, s:s, s:s}", "name", base, "size", (json_int_t)st.st_size, "mode",
                      go_mode(st.st_mode), "mtime", mtime, "linkTarget", "");
        text = json_dumps(j, JSON_COMPACT);
        return b64_encode(text, strlen(text));
}

static const char *path_param(struct api_req *r, enum MHD_Result *ret)
{
        const char *path = api_query(r, "path");

        if (!path || !*path)
                *ret = api_reply_error(r, 400, "path is required");
        return path && *path ? path : NULL;
}

enum MHD_Result api_archive_head(struct api_req *r)
{
        struct MHD_Response *resp;
        _cleanup_free_ char *stat = NULL;
        enum MHD_Result ret;
        const char *path = path_param(r, &ret);

        if (!path || !(stat = path_stat(r, path, &ret)))
                return ret;
        resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        if (!resp)
                return MHD_NO;
        (void)MHD_add_response_header(resp, "X-Docker-Container-Path-Stat", stat);
        (void)MHD_add_response_header(resp, "Api-Version", "1.41");
        ret = MHD_queue_response(r->conn, 200, resp);
        MHD_destroy_response(resp);
        return ret;
}

struct get {
        char *ctr, *path;
};

static void produce_tar(void *ud, struct api_server *srv, int fd)
{
        struct get *g = ud;
        struct cpod_cp_opts o = { .src_ctr = g->ctr, .src_path = g->path, .dst_path = "-", .in_fd = -1, .out_fd = fd };
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt = NULL;

        /* An error after the headers can only cut the tar short: the client sees a truncated archive. */
        if (fd >= 0 && cpod_runtime_open(srv->opts->rt_opts, &rt, &err) == 0)
                (void)cpod_ctr_copy(rt, &o, &err);
        cpod_error_clear(&err);
        cpod_runtime_unref(rt);
        free(g->ctr);
        free(g->path);
        free(g);
}

enum MHD_Result api_archive_get(struct api_req *r)
{
        _cleanup_free_ char *stat = NULL;
        enum MHD_Result ret;
        const char *path = path_param(r, &ret);
        struct get *g;

        if (!path || !(stat = path_stat(r, path, &ret)))
                return ret;
        g = xnew0(struct get, 1);
        g->ctr = xstrdup(r->arg[0]);
        g->path = xstrdup(path);
        return api_reply_deferred_hdr(r, "application/x-tar", "X-Docker-Container-Path-Stat", stat, produce_tar, g);
}

/*
 * PUT: the copy runs on a thread reading a pipe that the body's chunks are written to (the
 * connection's thread blocks while the copier is behind).  Set up when the headers are in; the
 * reply, once the body is read, says how the copy went.
 */
struct put {
        struct api_server *srv;
        char *ctr, *path;
        bool overwrite, chown;
        int rfd, wfd;
        pthread_t thread;
        bool started;
        cpod_error_t err;
        int rc;
};

static void *put_thread(void *arg)
{
        struct put *p = arg;
        struct cpod_cp_opts o = { .src_path = "-",
                                  .dst_ctr = p->ctr,
                                  .dst_path = p->path,
                                  .archive = p->chown,
                                  .overwrite = p->overwrite,
                                  .in_fd = p->rfd,
                                  .out_fd = -1 };
        struct cpod_runtime *rt = NULL;

        p->rc = cpod_runtime_open(p->srv->opts->rt_opts, &rt, &p->err);
        if (p->rc == 0)
                p->rc = cpod_ctr_copy(rt, &o, &p->err);
        cpod_runtime_unref(rt);
        /* Whatever is left of the body is not read: the writer gets EPIPE and drops it. */
        (void)close(p->rfd);
        p->rfd = -1;
        return NULL;
}

static int put_sink(void *ud, const char *buf, size_t len)
{
        struct put *p = ud;

        return p->wfd >= 0 ? api_write_all(p->wfd, buf, len) : -1;
}

static void put_free(void *ud)
{
        struct put *p = ud;

        if (!p)
                return;
        if (p->wfd >= 0)
                (void)close(p->wfd);
        if (p->started)
                (void)pthread_join(p->thread, NULL);
        if (p->rfd >= 0)
                (void)close(p->rfd);
        cpod_error_clear(&p->err);
        free(p->ctr);
        free(p->path);
        free(p);
}

enum MHD_Result api_archive_put_begin(struct api_req *r)
{
        const char *path = api_query(r, "path");
        struct put *p;
        int fds[2];

        if (!path || !*path || pipe2(fds, O_CLOEXEC) < 0)
                return MHD_YES; /* api_archive_put replies */
        p = xnew0(struct put, 1);
        *p = (struct put){ .srv = r->srv,
                           .ctr = xstrdup(r->arg[0]),
                           .path = xstrdup(path),
                           .overwrite = !api_query_bool(r, "noOverwriteDirNonDir", false),
                           .chown = api_query_bool(r, "copyUIDGID", false),
                           .rfd = fds[0],
                           .wfd = fds[1] };
        p->started = pthread_create(&p->thread, NULL, put_thread, p) == 0;
        if (!p->started) {
                put_free(p);
                return MHD_YES;
        }
        r->sink = put_sink;
        r->sink_free = put_free;
        r->sink_ud = p;
        return MHD_YES;
}

/* After a failed copy: was it for want of the directory?  Then that is the reply (404). */
static bool missing(struct api_req *r, const char *path, enum MHD_Result *ret)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_free_ char *canon = NULL;
        struct stat st;

        struct cpod_runtime *rt = api_rt(r, ret);

        if (!rt)
                return true;
        if (cpod_ctr_stat_path(rt, r->arg[0], path, &st, &canon, &err) == 0 || err.kind != CPOD_E_NO_SUCH_OBJECT) {
                cpod_error_clear(&err);
                return false;
        }
        *ret = api_reply_cpod_error(r, &err);
        return true;
}

enum MHD_Result api_archive_put(struct api_req *r)
{
        struct put *p = r->sink_ud;
        enum MHD_Result ret;

        if (!path_param(r, &ret))
                return ret;
        if (!p)
                return api_reply_error(r, 500, "cannot start the copy: %s", strerror(errno));
        r->sink = NULL;
        r->sink_ud = NULL;
        (void)close(p->wfd); /* the end of the tar */
        p->wfd = -1;
        (void)pthread_join(p->thread, NULL);
        p->started = false;
        if (p->rc < 0 && missing(r, p->path, &ret))
                cpod_error_clear(&p->err);
        else if (p->rc < 0)
                ret = api_reply_cpod_error(r, &p->err);
        else
                ret = api_reply_empty(r, 200);
        put_free(p);
        return ret;
}
