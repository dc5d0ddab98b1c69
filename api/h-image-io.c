/* SPDX-License-Identifier: Apache-2.0 */
/*
 * docker save and load: GET /images/{name}/get and /images/get?names=... stream a docker-archive
 * (cpod_image_save_fd); POST /images/load takes one as its body, streamed into a temporary file
 * (api_req.sink) that cpod_image_load reads, and answers with Docker's {"stream": "Loaded image:
 * NAME\n"} lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/image.h>

#include "api/deferred.h"
#include "api/handlers.h"
#include "api/hijack.h"
#include "api/server.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

static enum MHD_Result add_name(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
        (void)kind;
        if (strcmp(key, "names") == 0 && value && *value)
                strv_add(cls, value);
        return MHD_YES;
}

static void produce_save(void *ud, struct api_server *srv, int fd)
{
        char **names = ud;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt = NULL;

        /* A failure after the headers can only cut the archive short. */
        if (fd >= 0 && cpod_runtime_open(srv->opts->rt_opts, &rt, &err) == 0)
                (void)cpod_image_save_fd(rt, names, CPOD_SAVE_DOCKER_ARCHIVE, fd, &err);
        cpod_error_clear(&err);
        cpod_runtime_unref(rt);
        strv_free(names);
}

enum MHD_Result api_image_get(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        char **names = xnew0(char *, 1), id[65];
        struct cpod_runtime *rt;
        enum MHD_Result ret;

        if (r->arg[0])
                strv_add(&names, r->arg[0]);
        else
                (void)MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_name, &names);
        if (!names[0]) {
                strv_free(names);
                return api_reply_error(r, 400, "no image named");
        }
        if (!(rt = api_rt(r, &ret))) {
                strv_free(names);
                return ret;
        }
        for (char **n = names; *n; n++)
                if (cpod_image_lookup(rt, *n, id, &err) < 0) {
                        strv_free(names);
                        return api_reply_cpod_error(r, &err);
                }
        return api_reply_deferred(r, "application/x-tar", produce_save, names);
}

struct load {
        char path[64];
        int fd;
};

static int load_sink(void *ud, const char *buf, size_t len)
{
        struct load *l = ud;

        return api_write_all(l->fd, buf, len);
}

static void load_free(void *ud)
{
        struct load *l = ud;

        if (l->fd >= 0)
                (void)close(l->fd);
        (void)unlink(l->path);
        free(l);
}

enum MHD_Result api_image_load_begin(struct api_req *r)
{
        struct load *l = xnew0(struct load, 1);
        const char *dir = getenv("TMPDIR");

        /* The archive's bytes, until the request is complete (a load reads its input more than once). */
        snprintf(l->path, sizeof(l->path), "%s/cpod-load-XXXXXX", dir && *dir && strlen(dir) < 40 ? dir : "/var/tmp");
        if ((l->fd = mkostemp(l->path, O_CLOEXEC)) < 0) {
                free(l);
                return MHD_YES; /* api_image_load replies */
        }
        r->sink = load_sink;
        r->sink_free = load_free;
        r->sink_ud = l;
        return MHD_YES;
}

enum MHD_Result api_image_load(struct api_req *r)
{
        struct load *l = r->sink_ud;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *loaded = NULL;
        struct strbuf out = STRBUF_INIT;
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        json_t *name;
        size_t i;

        if (!l)
                return api_reply_error(r, 500, "cannot keep the archive: %s", strerror(errno));
        r->sink_ud = NULL;
        if (r->sink_failed)
                ret = api_reply_error(r, 500, "cannot keep the archive: %s", strerror(errno));
        else if (!(rt = api_rt(r, &ret)))
                ;
        else if (cpod_image_load(rt, l->path, &loaded, &err) < 0)
                ret = api_reply_cpod_error(r, &err);
        else {
                json_array_foreach(loaded, i, name) {
                        _cleanup_free_ char *line = xasprintf("Loaded image: %s\n", json_string_value(name));
                        _cleanup_json_ json_t *j = json_pack("{s:s}", "stream", line);
                        _cleanup_free_ char *text = json_dumps(j, JSON_COMPACT);
                        strbuf_addf(&out, "%s\n", text);
                }
                struct MHD_Response *resp = MHD_create_response_from_buffer(out.len, out.buf, MHD_RESPMEM_MUST_COPY);
                if (!resp) {
                        ret = MHD_NO;
                } else {
                        (void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
                        (void)MHD_add_response_header(resp, "Api-Version", "1.41");
                        ret = MHD_queue_response(r->conn, 200, resp);
                        MHD_destroy_response(resp);
                }
        }
        strbuf_release(&out);
        load_free(l);
        return ret;
}
