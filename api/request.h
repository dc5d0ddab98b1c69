/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One HTTP request as the handlers see it, and the replies they give.  A handler returns what
 * MHD's access handler returns: the result of queueing its response.
 */
#ifndef CPOD_API_REQUEST_H
#define CPOD_API_REQUEST_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>

#include <cpod/error.h>
#include <cpod/runtime.h>

#include "util/strbuf.h"

/* Bodies larger than this are refused with 413: every JSON body the API takes is small. */
#define API_MAX_BODY (1024 * 1024)

struct api_server;

struct api_req {
        struct api_server *srv;
        struct MHD_Connection *conn;
        const char *method;
        char *path;         /* without the /v1.xx prefix */
        const char *arg[2]; /* the {name} parts of the route, pointing into argbuf */
        char *argbuf;
        struct strbuf body;
        bool too_big;
        char bad_version[24]; /* a /v1.xx prefix newer than ours (refused once the body is read), or "" */
        /*
         * A body streamed to its handler (PUT archive) instead of kept in body: set by the route's
         * begin function when the headers are in; each chunk goes to sink (< 0: drop the rest).
         */
        int (*sink)(void *ud, const char *buf, size_t len);
        void (*sink_free)(void *ud); /* when the request ends with sink_ud still set */
        void *sink_ud;
        bool sink_failed;
        struct cpod_runtime *rt; /* opened for the request */
};

/* The runtime handle for this request (opened on first use); NULL + a 500 reply queued on failure. */
struct cpod_runtime *api_rt(struct api_req *r, enum MHD_Result *ret);

/* A query parameter, or NULL. */
const char *api_query(struct api_req *r, const char *key);
/* Docker's booleans: "1", "true", "True" (and absent: def). */
bool api_query_bool(struct api_req *r, const char *key, bool def);
long api_query_int(struct api_req *r, const char *key, long def);

/* The body as a JSON object; on failure queues 400 and returns NULL with *ret set. */
json_t *api_body_json(struct api_req *r, bool required, enum MHD_Result *ret);

enum MHD_Result api_reply_json(struct api_req *r, unsigned status, json_t *body); /* steals body */
enum MHD_Result api_reply_empty(struct api_req *r, unsigned status);
enum MHD_Result api_reply_error(struct api_req *r, unsigned status, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* Docker's status for a library error: 404 no such object, 409 conflict or state, 400 invalid, else 500. */
enum MHD_Result api_reply_cpod_error(struct api_req *r, cpod_error_t *err);
unsigned api_status_of(const cpod_error_t *err);

/* A string member, "" when absent (json_get_str gives NULL). */
static inline const char *api_str(const json_t *o, const char *key)
{
        json_t *v = json_object_get(o, key);

        return json_is_string(v) ? json_string_value(v) : "";
}

#endif
