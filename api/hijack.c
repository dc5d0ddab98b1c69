/* SPDX-License-Identifier: Apache-2.0 */
/* Hijacked connections and the multiplexed stream framing (see hijack.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "api/hijack.h"
#include "util/xalloc.h"

struct upgrade {
        api_upgraded_t cb;
        void *ud;
};

bool api_wants_upgrade(struct api_req *r)
{
        const char *up = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_UPGRADE);

        return up && strcasecmp(up, "tcp") == 0;
}

static void on_upgrade(void *cls, struct MHD_Connection *c, void *con_cls, const char *extra, size_t extra_len,
                       MHD_socket sock, struct MHD_UpgradeResponseHandle *urh)
{
        struct upgrade *u = cls;
        struct api_conn *conn = xnew0(struct api_conn, 1);
        int fl = fcntl(sock, F_GETFL);

        (void)c;
        (void)con_cls;
        /* The relays block on the socket in their own threads. */
        if (fl >= 0 && (fl & O_NONBLOCK))
                (void)fcntl(sock, F_SETFL, fl & ~O_NONBLOCK);
        conn->fd = sock;
        conn->urh = urh;
        if (extra_len > 0) {
                conn->early = xmalloc(extra_len);
                memcpy(conn->early, extra, extra_len);
                conn->early_len = extra_len;
        }
        u->cb(u->ud, conn);
        free(u);
}

enum MHD_Result api_reply_upgrade(struct api_req *r, const char *type, api_upgraded_t cb, void *ud)
{
        struct upgrade *u = xnew0(struct upgrade, 1);
        struct MHD_Response *resp;
        enum MHD_Result ret;

        u->cb = cb;
        u->ud = ud;
        resp = MHD_create_response_for_upgrade(on_upgrade, u);
        if (!resp) {
                free(u);
                return MHD_NO;
        }
        (void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
        (void)MHD_add_response_header(resp, MHD_HTTP_HEADER_UPGRADE, "tcp");
        (void)MHD_add_response_header(resp, "Api-Version", "1.41");
        ret = MHD_queue_response(r->conn, MHD_HTTP_SWITCHING_PROTOCOLS, resp);
        MHD_destroy_response(resp);
        return ret;
}

void api_conn_close(struct api_conn *c)
{
        if (!c)
                return;
        (void)MHD_upgrade_action(c->urh, MHD_UPGRADE_ACTION_CLOSE);
        free(c->early);
        free(c);
}

int api_write_all(int fd, const void *buf, size_t len)
{
        const char *p = buf;

        while (len > 0) {
                ssize_t n = write(fd, p, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return -1;
                p += n;
                len -= (size_t)n;
        }
        return 0;
}

int api_write_frame(int fd, int stream, const void *buf, size_t len)
{
        unsigned char hdr[8] = { (unsigned char)stream,
                                 0,
                                 0,
                                 0,
                                 (unsigned char)(len >> 24),
                                 (unsigned char)(len >> 16),
                                 (unsigned char)(len >> 8),
                                 (unsigned char)len };

        if (stream && api_write_all(fd, hdr, sizeof(hdr)) < 0)
                return -1;
        return api_write_all(fd, buf, len);
}

const char *api_stream_type(bool tty)
{
        return tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream";
}
