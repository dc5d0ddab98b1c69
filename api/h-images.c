/* SPDX-License-Identifier: Apache-2.0 */
/* Image listing and inspect (cli/cmd-images.c, cmd-image.c): Docker's IDs carry "sha256:". */
#include <string.h>

#include <cpod/image.h>

#include "api/handlers.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

static void sha_prefix(json_t *o, const char *key)
{
        const char *id = api_str(o, key);

        if (*id && strncmp(id, "sha256:", 7) != 0)
                json_object_set_new(o, key, json_string_take(xasprintf("sha256:%s", id)));
}

enum MHD_Result api_image_list(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        const char *filters = api_query(r, "filters");
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        json_t *list, *img;
        size_t i;

        if (filters && *filters && strcmp(filters, "{}") != 0)
                return api_reply_error(r, 400, "filters are not supported yet");
        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_image_list(rt, &list, &err) < 0)
                return api_reply_cpod_error(r, &err);
        json_array_foreach(list, i, img) {
                sha_prefix(img, "Id");
                sha_prefix(img, "ParentId");
                if (!json_is_object(json_object_get(img, "Labels")))
                        json_object_set_new(img, "Labels", json_object());
        }
        return api_reply_json(r, 200, list);
}

enum MHD_Result api_image_inspect(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *o = NULL;
        struct cpod_runtime *rt;
        enum MHD_Result ret;

        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_image_inspect(rt, r->arg[0], &o, &err) < 0)
                return api_reply_cpod_error(r, &err);
        if (!json_is_object(o))
                return api_reply_error(r, 404, "No such image: %s", r->arg[0]);
        sha_prefix(o, "Id");
        sha_prefix(o, "Parent");
        return api_reply_json(r, 200, json_incref(o));
}
