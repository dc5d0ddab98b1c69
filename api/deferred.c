/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A 200 response whose headers go out at once and whose body a thread writes later into a pipe:
 * Docker clients wait for the headers of some requests (wait) before they send the next one
 * (start), so a handler that blocks until the body is known would deadlock them.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/deferred.h"
#include "api/server.h"
#include "util/xalloc.h"

struct job {
        struct api_server *srv;
        int fd;
        api_produce_t produce;
        void *ud;
};

static void *run(void *arg)
{
        struct job *j = arg;

        j->produce(j->ud, j->srv, j->fd);
        (void)close(j->fd);
        api_server_release(j->srv);
        free(j);
        return NULL;
}

enum MHD_Result api_reply_deferred(struct api_req *r, const char *type, api_produce_t produce, void *ud)
{
        return api_reply_deferred_hdr(r, type, NULL, NULL, produce, ud);
}

enum MHD_Result api_reply_deferred_hdr(struct api_req *r, const char *type, const char *hname, const char *hvalue,
                                       api_produce_t produce, void *ud)
{
        struct job *j = xnew0(struct job, 1);
        struct MHD_Response *resp;
        pthread_attr_t attr;
        enum MHD_Result ret;
        pthread_t t;
        int p[2];

        if (pipe2(p, O_CLOEXEC) < 0) {
                free(j);
                produce(ud, r->srv, -1);
                return api_reply_error(r, 500, "pipe: %s", strerror(errno));
        }
        resp = MHD_create_response_from_pipe(p[0]);
        if (!resp) {
                (void)close(p[0]);
                (void)close(p[1]);
                free(j);
                produce(ud, r->srv, -1);
                return MHD_NO;
        }
        (void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
        (void)MHD_add_response_header(resp, "Api-Version", "1.41");
        if (hname)
                (void)MHD_add_response_header(resp, hname, hvalue);
        ret = MHD_queue_response(r->conn, 200, resp);
        MHD_destroy_response(resp);
        *j = (struct job){ .srv = r->srv, .fd = p[1], .produce = produce, .ud = ud };
        api_server_hold(r->srv);
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&t, &attr, run, j) != 0)
                run(j); /* no thread: produce here (the client waits for the headers a little longer) */
        pthread_attr_destroy(&attr);
        return ret;
}
