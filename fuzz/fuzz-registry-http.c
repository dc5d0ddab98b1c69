/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for what a registry answers (lib/image/docker: request.c
 * headers, api.c Link pagination and Content-Type, auth.c token JSON and
 * WWW-Authenticate, blob.c streamed bodies and ranges): a registry is
 * untrusted.  A server thread on 127.0.0.1 answers each connection with the
 * next raw HTTP response from the input (responses separated by NUL bytes;
 * "@@" in one becomes the server's host:port, so a token realm or a Link
 * can point back at it).  The first byte picks the client call.  Every call
 * succeeds or fails with a message; nothing else may happen.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>

#include "fuzz/fuzz-helpers.h"
#include "image/docker/client-private.h"
#include "util/digest.h"
#include "util/strbuf.h"
#include "util/strv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_RESPONSES 8

struct server {
        int fd, wake[2];
        char hostport[32];
        char *responses[MAX_RESPONSES];
        size_t lens[MAX_RESPONSES];
        int n;
};

static void answer(int c, const char *resp, size_t len)
{
        char buf[8192];
        struct pollfd p = { .fd = c, .events = POLLIN };

        /* read the request (headers, and a body if small), then answer and close */
        ssize_t n;

        while (poll(&p, 1, 5) > 0 && (n = read(c, buf, sizeof(buf))) > 0)
                if (memmem(buf, (size_t)n, "\r\n\r\n", 4))
                        break;
        (void)write_all(c, resp, len);
        shutdown(c, SHUT_WR);
}

static void *serve(void *arg)
{
        struct server *s = arg;

        for (int i = 0; i < s->n; i++) {
                struct pollfd p[2] = { { .fd = s->fd, .events = POLLIN }, { .fd = s->wake[0], .events = POLLIN } };
                int c;
                if (poll(p, 2, 2000) <= 0 || p[1].revents)
                        break;
                c = accept4(s->fd, NULL, NULL, SOCK_CLOEXEC);
                if (c < 0)
                        break;
                answer(c, s->responses[i], s->lens[i]);
                close(c);
        }
        /* no more answers: further connections are refused at once instead of waiting for the stall timeout */
        close(s->fd);
        s->fd = -1;
        return NULL;
}

static void split(struct server *s, const uint8_t *data, size_t size)
{
        size_t start = 0;

        while (start <= size && s->n < MAX_RESPONSES) {
                const uint8_t *z = memchr(data + start, 0, size - start);
                size_t end = z ? (size_t)(z - data) : size;
                struct strbuf sb = STRBUF_INIT;
                for (size_t i = start; i < end; i++) {
                        if (i + 1 < end && data[i] == '@' && data[i + 1] == '@') {
                                strbuf_addstr(&sb, s->hostport);
                                i++;
                        } else {
                                strbuf_addch(&sb, (char)data[i]);
                        }
                }
                s->lens[s->n] = sb.len;
                s->responses[s->n++] = strbuf_detach(&sb, NULL);
                if (!z)
                        break;
                start = end + 1;
        }
}

static int listen_loopback(struct server *s)
{
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        socklen_t l = sizeof(a);

        s->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s->fd, 8) < 0 ||
            getsockname(s->fd, (struct sockaddr *)&a, &l) < 0)
                return -1;
        snprintf(s->hostport, sizeof(s->hostport), "127.0.0.1:%d", ntohs(a.sin_port));
        return 0;
}

static void call(struct reg_client *c, uint8_t which)
{
        static const char dig[] = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        cpod_error_t err = CPOD_ERROR_INIT;
        char *body = NULL, *type = NULL, d[72], **list = NULL, buf[4096];
        size_t len;
        struct blob b = { 0 };
        int r = 0;

        switch (which % 7) {
        case 0:
                r = reg_ping(c, &err);
                break;
        case 1:
                r = reg_get_manifest(c, "lib/x", "latest", &body, &len, &type, d, &err);
                break;
        case 2:
                r = reg_head_manifest(c, "lib/x", "latest", d, &err);
                break;
        case 3:
                r = reg_list_tags(c, "lib/x", &list, &err);
                break;
        case 4:
                r = reg_get_blob(c, "lib/x", dig, 4096, &body, &len, &err);
                break;
        case 5:
                r = reg_catalog(c, 100, &list, &err); /* what search reads */
                break;
        default:
                r = reg_open_blob(c, "lib/x", dig, -1, NULL, NULL, &b, &err);
                if (r == 0) {
                        for (int k = 0; k < 64 && b.read(b.ud, buf, sizeof(buf)) > 0; k++)
                                ;
                        blob_close(&b);
                }
                break;
        }
        if (r < 0 && !err.msg)
                abort();
        cpod_error_clear(&err);
        free(body);
        free(type);
        strv_free(list);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct server s = { .fd = -1 };
        struct reg_opts o = { .tls_verify = 0, .retries = 0, .retry_delay_ms = 0 };
        struct reg_client *c = NULL;
        cpod_error_t err = CPOD_ERROR_INIT;
        pthread_t th;

        if (size < 1)
                return 0;
        setenv("CPOD_REGISTRY_STALL_TIMEOUT", "1", 1);
        setenv("REGISTRY_AUTH_FILE", "/nonexistent/auth.json", 1);
        if (listen_loopback(&s) < 0 || pipe2(s.wake, O_CLOEXEC) < 0)
                abort();
        split(&s, data + 1, size - 1);
        if (pthread_create(&th, NULL, serve, &s) != 0)
                abort();
        if (reg_client_new(s.hostport, true, &o, &c, &err) == 0) {
                if (data[0] % 7 != 0) {
                        /* Only the ping case probes https first; the others talk http from the start. */
                        c->base = xasprintf("http://%s", s.hostport);
                        c->pinged = true;
                        c->auth = REG_AUTH_NONE;
                }
                call(c, data[0]);
                reg_client_free(c);
        }
        cpod_error_clear(&err);
        /* the server may still wait for a connection the client never made */
        (void)write(s.wake[1], "x", 1);
        pthread_join(th, NULL);
        close(s.wake[0]);
        close(s.wake[1]);
        for (int i = 0; i < s.n; i++)
                free(s.responses[i]);
        return 0;
}
