/* SPDX-License-Identifier: Apache-2.0 */
/* DELETE /images/{name}, POST /images/{name}/tag and GET /images/{name}/history (cli/cmd-image.c's calls). */
#include <string.h>

#include <cpod/image.h>

#include "api/handlers.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

static json_t *with_sha(const char *id)
{
        if (!id || strcmp(id, "<missing>") == 0 || strncmp(id, "sha256:", 7) == 0)
                return json_string(id ? id : "<missing>");
        return json_string_take(xasprintf("sha256:%s", id));
}

enum MHD_Result api_image_delete(struct api_req *r)
{
        struct cpod_rmi_opts o = { .force = api_query_bool(r, "force", false) };
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *untagged = json_array(), *deleted = json_array();
        json_t *out, *v;
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        size_t i;

        /* noprune keeps untagged parent images: cpod's images have no parent images to prune. */
        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_image_remove(rt, r->arg[0], &o, untagged, deleted, &err) < 0)
                return api_reply_cpod_error(r, &err);
        out = json_array();
        json_array_foreach(untagged, i, v)
                json_array_append_new(out, json_pack("{s:O}", "Untagged", v));
        json_array_foreach(deleted, i, v)
                json_array_append_new(out, json_pack("{s:o}", "Deleted", with_sha(json_string_value(v))));
        return api_reply_json(r, 200, out);
}

enum MHD_Result api_image_tag(struct api_req *r)
{
        const char *repo = api_query(r, "repo"), *tag = api_query(r, "tag");
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_free_ char *name = NULL;
        struct cpod_runtime *rt;
        enum MHD_Result ret;

        if (!repo || !*repo)
                return api_reply_error(r, 400, "repo is required");
        name = xasprintf("%s:%s", repo, tag && *tag ? tag : "latest");
        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_image_tag(rt, r->arg[0], name, &err) < 0)
                return api_reply_cpod_error(r, &err);
        return api_reply_empty(r, 201);
}

enum MHD_Result api_image_history(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *rows = NULL;
        json_t *out, *row;
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        size_t i;

        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_image_history(rt, r->arg[0], &rows, &err) < 0)
                return api_reply_cpod_error(r, &err);
        out = json_array();
        json_array_foreach(rows, i, row) {
                json_t *tags = json_object_get(row, "tags");
                json_array_append_new(
                        out, json_pack("{s:o, s:I, s:s, s:O, s:I, s:s}", "Id", with_sha(json_get_str(row, "id")),
                                       "Created", json_get_int(row, "created", 0), "CreatedBy",
                                       api_str(row, "CreatedBy"), "Tags", tags ? tags : json_null(), "Size",
                                       json_get_int(row, "size", 0), "Comment", api_str(row, "comment")));
        }
        return api_reply_json(r, 200, out);
}
