/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Streaming a blob from a registry as a pull-style struct blob.
 *
 * Each stream owns a curl multi handle with one easy handle and is driven
 * from the reading thread: read() hands out buffered bytes and, when there
 * are none, runs the transfer until more arrive (at most one burst of
 * curl's buffers is held).  So the layer-apply thread that reads the blob
 * is also the one that downloads it: one thread per layer, no extra
 * copies, back-pressure through TCP.
 *
 * A connection that fails mid-body is resumed with "Range: bytes=N-" (a
 * 200 answer instead of 206 is skipped to offset N) up to the client's
 * retry count.  The body may not exceed the manifest's size; a body that
 * ends early is an error.  The digest is checked by the consumer
 * (layer_apply) over exactly the bytes handed out.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "image/docker/client-private.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/xalloc.h"

#define ERROR_BODY_MAX (64u << 10)

struct blob_stream {
        struct reg_client *c;
        char *url, *scope, *digest, *desc;
        int64_t size; /* expected, or -1 */
        reg_progress_fn progress;
        void *progress_ud;

        CURLM *multi;
        CURL *easy;
        struct curl_slist *hdrs;
        struct reg_resp resp; /* headers of the current response; body only for errors */
        char errbuf[CURL_ERROR_SIZE];
        struct reg_stall stall;

        struct strbuf buf; /* received, not yet handed out */
        size_t off;
        int64_t received; /* body bytes accepted (handed out + buffered) */
        int64_t start_at; /* offset the current request asked for (Range) */
        int64_t skip;     /* bytes still to drop from a 200 answer to a range request */
        bool headers_done, running, failed_size;
        CURLcode result;
        int attempts;
        char *error; /* detail for blob.error() */
};

static void set_error(struct blob_stream *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_error(struct blob_stream *s, const char *fmt, ...)
{
        va_list ap;

        free(s->error);
        va_start(ap, fmt);
        s->error = xvasprintf(fmt, ap);
        va_end(ap);
}

static size_t header_cb(char *buf, size_t size, size_t n, void *ud)
{
        struct blob_stream *s = ud;
        size_t len = size * n;

        reg_header_cb(buf, size, n, &s->resp);
        /* End of a header block: final unless it's a redirect being followed or a 1xx. */
        if (len <= 2 && (buf[0] == '\r' || buf[0] == '\n')) {
                long st = s->resp.status;
                if (st >= 200 && !(st >= 300 && st < 400)) {
                        s->headers_done = true;
                        if (st == 200)
                                s->skip = s->start_at; /* the server ignored our Range */
                }
        }
        return len;
}

static size_t write_cb(char *buf, size_t size, size_t n, void *ud)
{
        struct blob_stream *s = ud;
        size_t len = size * n;

        s->headers_done = true;
        if (s->resp.status != 200 && s->resp.status != 206) {
                if (s->resp.body.len + len > ERROR_BODY_MAX)
                        return 0;
                strbuf_add(&s->resp.body, buf, len);
                return len;
        }
        if (s->skip > 0) {
                size_t drop = (int64_t)len < s->skip ? len : (size_t)s->skip;
                s->skip -= (int64_t)drop;
                buf += drop;
                len -= drop;
        }
        if (s->size >= 0 && s->received + (int64_t)len > s->size) {
                s->failed_size = true;
                return 0;
        }
        if (s->off == s->buf.len) {
                strbuf_reset(&s->buf);
                s->off = 0;
        }
        strbuf_add(&s->buf, buf, len);
        s->received += (int64_t)len;
        return size * n;
}

static void stop(struct blob_stream *s)
{
        if (s->easy) {
                curl_multi_remove_handle(s->multi, s->easy);
                curl_easy_cleanup(s->easy);
                s->easy = NULL;
        }
        curl_slist_free_all(s->hdrs);
        s->hdrs = NULL;
        s->running = false;
}

/* Start (or restart, from s->received) the GET. */
static int start(struct blob_stream *s, cpod_error_t *err)
{
        _cleanup_free_ char *auth = NULL;

        stop(s);
        reg_resp_clear(&s->resp);
        s->resp.content_length = -1;
        s->headers_done = false;
        s->result = CURLE_OK;
        s->skip = 0;
        s->start_at = s->received;
        if (reg_auth_header(s->c, s->scope, &auth, err) < 0)
                return cpod_error_rc(err, -EACCES);
        s->easy = curl_easy_init();
        reg_easy_setup(s->c, s->easy, &s->stall);
        curl_easy_setopt(s->easy, CURLOPT_URL, s->url);
        curl_easy_setopt(s->easy, CURLOPT_ERRORBUFFER, s->errbuf);
        curl_easy_setopt(s->easy, CURLOPT_HEADERFUNCTION, header_cb);
        curl_easy_setopt(s->easy, CURLOPT_HEADERDATA, s);
        curl_easy_setopt(s->easy, CURLOPT_WRITEFUNCTION, write_cb);
        curl_easy_setopt(s->easy, CURLOPT_WRITEDATA, s);
        curl_easy_setopt(s->easy, CURLOPT_BUFFERSIZE, 256L * 1024);
        if (auth)
                s->hdrs = curl_slist_append(s->hdrs, auth);
        if (s->received > 0) {
                _cleanup_free_ char *range = xasprintf("Range: bytes=%lld-", (long long)s->received);
                s->hdrs = curl_slist_append(s->hdrs, range);
        }
        curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, s->hdrs);
        s->errbuf[0] = '\0';
        curl_multi_add_handle(s->multi, s->easy);
        s->running = true;
        return 0;
}

/* Run the transfer until data is buffered, the headers are in (want_headers), or it ends. */
static void pump(struct blob_stream *s, bool want_headers)
{
        while (s->running && s->off == s->buf.len && !(want_headers && s->headers_done)) {
                int still = 0, q;
                CURLMsg *m;
                if (curl_multi_perform(s->multi, &still) != CURLM_OK) {
                        s->result = CURLE_FAILED_INIT;
                        s->running = false;
                        break;
                }
                while ((m = curl_multi_info_read(s->multi, &q)))
                        if (m->msg == CURLMSG_DONE) {
                                s->result = s->stall.tripped ? CURLE_OPERATION_TIMEDOUT : m->data.result;
                                s->running = false;
                        }
                if (s->running && s->off == s->buf.len && !(want_headers && s->headers_done))
                        curl_multi_poll(s->multi, NULL, 0, 1000, NULL);
        }
}

static char *transfer_text(struct blob_stream *s)
{
        char stall[REG_STALL_TEXT_MAX];

        return xstrdup(reg_stall_text(&s->stall, s->result, s->errbuf, stall));
}

/*
 * Start a request and wait for its headers.  0: body coming (status 200/206);
 * < 0: error in err.  Handles 401 (once), and retries transient failures.
 */
static int open_response(struct blob_stream *s, cpod_error_t *err)
{
        bool auth_retried = false;

        for (;;) {
                if (start(s, err) < 0)
                        return cpod_error_rc(err, -EACCES);
                pump(s, true);
                if (!s->headers_done || (s->resp.status != 200 && s->resp.status != 206)) {
                        if (s->running) /* an error status: read its (bounded) body */
                                while (s->running)
                                        pump(s, false);
                }
                if (s->resp.status == 401 && !auth_retried &&
                    reg_auth_challenged(s->c, s->resp.www_auth, s->scope, err) > 0) {
                        auth_retried = true;
                        continue;
                }
                if ((s->resp.status == 200 || s->resp.status == 206) && s->headers_done)
                        break;
                if (s->attempts < s->c->retries &&
                    ((!s->headers_done && reg_curl_transient(s->result)) || reg_status_transient(s->resp.status))) {
                        reg_backoff(s->c, s->attempts++);
                        continue;
                }
                if (!s->headers_done || s->resp.status == 0) {
                        _cleanup_free_ char *t = transfer_text(s);
                        return cpod_error_set(err, s->result == CURLE_OPERATION_TIMEDOUT ? ETIMEDOUT : EIO,
                                              s->result == CURLE_OPERATION_TIMEDOUT ? CPOD_E_TIMEOUT : CPOD_E_INTERNAL,
                                              "fetching blob %s: Get \"%s\": %s", s->digest, s->url, t);
                }
                {
                        _cleanup_free_ char *why = reg_error_text(&s->resp);
                        long st = s->resp.status;
                        return cpod_error_set(err,
                                              st == 404                ? ENOENT
                                              : st == 401 || st == 403 ? EACCES
                                                                       : EIO,
                                              st == 401 || st == 403 ? CPOD_E_AUTH
                                              : st == 404            ? CPOD_E_NO_SUCH_IMAGE
                                                                     : CPOD_E_INTERNAL,
                                              "fetching blob %s from %s: %s", s->digest, s->desc, why);
                }
        }
        return 0;
}

static ssize_t stream_read(void *ud, void *out, size_t len)
{
        struct blob_stream *s = ud;

        for (;;) {
                if (s->off < s->buf.len) {
                        size_t n = s->buf.len - s->off < len ? s->buf.len - s->off : len;
                        memcpy(out, s->buf.buf + s->off, n);
                        s->off += n;
                        if (s->progress)
                                s->progress(s->progress_ud, s->received, s->size);
                        return (ssize_t)n;
                }
                if (s->running) {
                        pump(s, false);
                        continue;
                }
                if (s->failed_size) {
                        set_error(s, "blob %s from %s is larger than its declared size %lld", s->digest, s->desc,
                                  (long long)s->size);
                        return -EFBIG;
                }
                if (s->result == CURLE_OK && (s->size < 0 || s->received == s->size))
                        return 0;
                /* The transfer broke off (or ended short): resume if we may. */
                if (s->attempts < s->c->retries &&
                    (reg_curl_transient(s->result) || (s->result == CURLE_OK && s->received < s->size))) {
                        cpod_error_t e = CPOD_ERROR_INIT;
                        log_debug("blob %s: resuming at %lld", s->digest, (long long)s->received);
                        reg_backoff(s->c, s->attempts++);
                        if (open_response(s, &e) < 0) {
                                set_error(s, "%s", cpod_error_msg(&e));
                                cpod_error_clear(&e);
                                return -EIO;
                        }
                        continue;
                }
                if (s->result != CURLE_OK) {
                        _cleanup_free_ char *t = transfer_text(s);
                        set_error(s, "reading blob %s from %s: %s (after %lld of %lld bytes)", s->digest, s->desc, t,
                                  (long long)s->received, (long long)s->size);
                        return s->result == CURLE_OPERATION_TIMEDOUT ? -ETIMEDOUT : -EIO;
                }
                set_error(s, "reading blob %s from %s: unexpected end of data after %lld of %lld bytes", s->digest,
                          s->desc, (long long)s->received, (long long)s->size);
                return -EIO;
        }
}

static char *stream_error(void *ud)
{
        struct blob_stream *s = ud;

        return xstrdup(s->error);
}

static void stream_close(void *ud)
{
        struct blob_stream *s = ud;

        if (!s)
                return;
        stop(s);
        curl_multi_cleanup(s->multi);
        reg_resp_clear(&s->resp);
        strbuf_release(&s->buf);
        free(s->url);
        free(s->scope);
        free(s->digest);
        free(s->desc);
        free(s->error);
        free(s);
}

int reg_open_blob(struct reg_client *c, const char *repo, const char *digest, int64_t size, reg_progress_fn progress,
                  void *progress_ud, struct blob *ret, cpod_error_t *err)
{
        struct blob_stream *s;

        if (reg_ping(c, err) < 0)
                return cpod_error_rc(err, -EIO);
        s = xzalloc(sizeof(*s));
        s->c = c;
        s->url = xasprintf("%s/v2/%s/blobs/%s", c->base, repo, digest);
        s->scope = reg_scope_pull(repo);
        s->digest = xstrdup(digest);
        s->desc = xasprintf("%s/%s", c->host, repo);
        s->size = size;
        s->progress = progress;
        s->progress_ud = progress_ud;
        s->multi = curl_multi_init();
        if (open_response(s, err) < 0) {
                stream_close(s);
                return cpod_error_rc(err, -EIO);
        }
        memset(ret, 0, sizeof(*ret));
        ret->read = stream_read;
        ret->close = stream_close;
        ret->error = stream_error;
        ret->ud = s;
        ret->size = size;
        return 0;
}
