/* SPDX-License-Identifier: Apache-2.0 */
/* Volumes (cli/cmd-volume.c): podman's volume objects are Docker's, with a few more members. */
#include <string.h>

#include <cpod/volume.h>

#include "api/handlers.h"
#include "util/cleanup.h"
#include "util/json.h"

enum MHD_Result api_volume_list(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        const char *f = api_query(r, "filters");
        _cleanup_json_ json_t *filters = NULL;
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        json_t *list;

        if (f && *f && !(filters = json_loads(f, 0, NULL)))
                return api_reply_error(r, 400, "invalid filters: %s", f);
        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_volume_list(rt, filters, &list, &err) < 0)
                return api_reply_cpod_error(r, &err);
        return api_reply_json(r, 200, json_pack("{s:o, s:[]}", "Volumes", list, "Warnings"));
}

enum MHD_Result api_volume_create(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *body = NULL, *req = NULL;
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        json_t *vol, *v;

        if (!(body = api_body_json(r, false, &ret)))
                return ret;
        req = json_object();
        if ((v = json_object_get(body, "Name")) && !json_is_null(v) && json_string_length(v))
                json_object_set(req, "Name", v);
        if ((v = json_object_get(body, "Driver")) && json_string_length(v))
                json_object_set(req, "Driver", v);
        if ((v = json_object_get(body, "Labels")) && json_is_object(v))
                json_object_set(req, "Labels", v);
        if ((v = json_object_get(body, "DriverOpts")) && json_is_object(v))
                json_object_set(req, "Options", v);
        /* Docker returns an existing volume of that name instead of failing. */
        json_object_set_new(req, "IgnoreIfExists", json_true());
        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_volume_create(rt, req, &vol, &err) < 0)
                return api_reply_cpod_error(r, &err);
        return api_reply_json(r, 201, vol);
}

enum MHD_Result api_volume_inspect(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        json_t *vol;

        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_volume_inspect(rt, r->arg[0], &vol, &err) < 0)
                return api_reply_cpod_error(r, &err);
        return api_reply_json(r, 200, vol);
}

enum MHD_Result api_volume_delete(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt;
        enum MHD_Result ret;

        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_volume_remove(rt, r->arg[0], api_query_bool(r, "force", false), -1, &err) < 0)
                return api_reply_cpod_error(r, &err);
        return api_reply_empty(r, 204);
}
