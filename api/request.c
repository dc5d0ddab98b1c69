/* SPDX-License-Identifier: Apache-2.0 */
/* Request helpers: query and body decoding, JSON replies and Docker's error statuses. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "api/request.h"
#include "api/server.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

struct cpod_runtime *api_rt(struct api_req *r, enum MHD_Result *ret)
{
        cpod_error_t err = CPOD_ERROR_INIT;

        if (r->rt)
                return r->rt;
        if (cpod_runtime_open(r->srv->opts->rt_opts, &r->rt, &err) < 0) {
                *ret = api_reply_cpod_error(r, &err);
                return NULL;
        }
        return r->rt;
}

const char *api_query(struct api_req *r, const char *key)
{
        return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

bool api_query_bool(struct api_req *r, const char *key, bool def)
{
        const char *v = api_query(r, key);

        if (!v)
                return def;
        return strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0;
}

long api_query_int(struct api_req *r, const char *key, long def)
{
        const char *v = api_query(r, key);
        char *end;
        long n;

        if (!v || !*v)
                return def;
        errno = 0;
        n = strtol(v, &end, 10);
        return errno || *end ? def : n;
}

json_t *api_body_json(struct api_req *r, bool required, enum MHD_Result *ret)
{
        json_error_t jerr;
        json_t *j;

        if (r->body.len == 0 && !required)
                return json_object();
        j = json_loadb(r->body.buf ? r->body.buf : "", r->body.len, JSON_REJECT_DUPLICATES, &jerr);
        if (!j) {
                *ret = api_reply_error(r, 400, "invalid JSON body: %s", jerr.text);
                return NULL;
        }
        if (!json_is_object(j)) {
                json_decref(j);
                *ret = api_reply_error(r, 400, "invalid JSON body: want an object");
                return NULL;
        }
        return j;
}

static enum MHD_Result queue(struct api_req *r, unsigned status, char *text, size_t len, const char *type)
{
        struct MHD_Response *resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
        enum MHD_Result ret;

        if (!resp) {
                free(text);
                return MHD_NO;
        }
        if (type)
                (void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
        (void)MHD_add_response_header(resp, "Api-Version", "1.41");
        (void)MHD_add_response_header(resp, "Server", "cpod");
        ret = MHD_queue_response(r->conn, status, resp);
        MHD_destroy_response(resp);
        return ret;
}

enum MHD_Result api_reply_json(struct api_req *r, unsigned status, json_t *body)
{
        char *text = json_dumps(body, JSON_COMPACT);
        size_t len;

        json_decref(body);
        if (!text)
                text = xstrdup("null");
        len = strlen(text);
        text = xrealloc(text, len + 2);
        text[len++] = '\n';
        return queue(r, status, text, len, "application/json");
}

enum MHD_Result api_reply_empty(struct api_req *r, unsigned status)
{
        return queue(r, status, NULL, 0, NULL);
}

enum MHD_Result api_reply_error(struct api_req *r, unsigned status, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;

        va_start(ap, fmt);
        msg = xvasprintf(fmt, ap);
        va_end(ap);
        return api_reply_json(r, status, json_pack("{s:s}", "message", msg));
}

unsigned api_status_of(const cpod_error_t *err)
{
        switch (err->kind) {
        case CPOD_E_NO_SUCH_CTR:
        case CPOD_E_NO_SUCH_IMAGE:
        case CPOD_E_NO_SUCH_POD:
        case CPOD_E_NO_SUCH_VOLUME:
        case CPOD_E_NO_SUCH_EXEC:
        case CPOD_E_NO_SUCH_OBJECT:
                return 404;
        case CPOD_E_EXISTS:
        case CPOD_E_CTR_STATE:
        case CPOD_E_IN_USE:
                return 409;
        case CPOD_E_INVALID:
                return 400;
        case CPOD_E_NOT_SUPPORTED:
                return 501;
        default:
                return 500;
        }
}

enum MHD_Result api_reply_cpod_error(struct api_req *r, cpod_error_t *err)
{
        enum MHD_Result ret = api_reply_error(r, api_status_of(err), "%s", cpod_error_msg(err));

        cpod_error_clear(err);
        return ret;
}
