/* SPDX-License-Identifier: Apache-2.0 */
/*
 * POST /containers/prune, /images/prune, /volumes/prune and /networks/prune: the engine's
 * prunes (include/cpod/engine.h), as the prune commands call them, in Docker's reports.  Filters
 * cpod does not take are refused.
 */
#include <string.h>

#include <cpod/engine.h>
#include <cpod/volume.h>

#include "api/filters.h"
#include "api/handlers.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* The names or IDs that went (as strings, or through wrap), and the bytes they freed. */
static json_t *gone(const struct cpod_prune_report *rep, json_t *(*wrap)(const char *), json_int_t *freed)
{
        json_t *a = json_array();

        for (size_t i = 0; i < rep->n; i++)
                if (rep->v[i].err.kind == CPOD_E_NONE) {
                        json_array_append_new(a, wrap ? wrap(rep->v[i].id) : json_string(rep->v[i].id));
                        *freed += rep->v[i].size;
                }
        return a;
}

static bool no_filters(struct api_req *r, enum MHD_Result *ret)
{
        _cleanup_strv_ char **kv = api_filters(r, ret);

        if (kv && kv[0])
                *ret = api_reply_error(r, 501, "filters on this prune are not supported by cpod's API: %s", kv[0]);
        return kv && !kv[0];
}

enum MHD_Result api_ctr_prune(struct api_req *r)
{
        struct cpod_prune_report rep = { 0 };
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        json_int_t freed = 0;
        json_t *deleted;

        if (!no_filters(r, &ret) || !(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_ctr_prune(rt, &rep, &err) < 0)
                return api_reply_cpod_error(r, &err);
        deleted = gone(&rep, NULL, &freed);
        cpod_prune_report_clear(&rep);
        return api_reply_json(r, 200, json_pack("{s:o, s:I}", "ContainersDeleted", deleted, "SpaceReclaimed", freed));
}

static json_t *deleted_image(const char *id)
{
        return json_pack("{s:o}", "Deleted", json_string_take(xasprintf("sha256:%s", id)));
}

enum MHD_Result api_image_prune(struct api_req *r)
{
        struct cpod_prune_report rep = { 0 };
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_strv_ char **kv = NULL;
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        json_int_t freed = 0;
        json_t *deleted;
        bool all = false;

        if (!(kv = api_filters(r, &ret)))
                return ret;
        /* dangling=false: every unused image, as prune -a; the other keys are not cpod's. */
        for (char **p = kv; *p; p++) {
                if (strcmp(*p, "dangling=false") == 0 || strcmp(*p, "dangling=0") == 0)
                        all = true;
                else if (strcmp(*p, "dangling=true") != 0 && strcmp(*p, "dangling=1") != 0)
                        return api_reply_error(r, 501, "filter %s on image prune is not supported by cpod's API", *p);
        }
        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_image_prune(rt, all, &rep, &err) < 0)
                return api_reply_cpod_error(r, &err);
        deleted = gone(&rep, deleted_image, &freed);
        cpod_prune_report_clear(&rep);
        return api_reply_json(r, 200, json_pack("{s:o, s:I}", "ImagesDeleted", deleted, "SpaceReclaimed", freed));
}

enum MHD_Result api_volume_prune(struct api_req *r)
{
        struct cpod_prune_report rep = { 0 };
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *filters = NULL;
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        json_int_t freed = 0;
        json_t *deleted;

        if (!(filters = api_filters_json(r, &ret)) || !(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_volume_prune(rt, filters, &rep, &err) < 0)
                return api_reply_cpod_error(r, &err);
        deleted = gone(&rep, NULL, &freed);
        cpod_prune_report_clear(&rep);
        return api_reply_json(r, 200, json_pack("{s:o, s:I}", "VolumesDeleted", deleted, "SpaceReclaimed", freed));
}

enum MHD_Result api_network_prune(struct api_req *r)
{
        struct cpod_prune_report rep = { 0 };
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        json_int_t freed = 0;
        json_t *deleted;

        if (!no_filters(r, &ret) || !(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_network_prune(rt, &rep, &err) < 0)
                return api_reply_cpod_error(r, &err);
        deleted = gone(&rep, NULL, &freed);
        cpod_prune_report_clear(&rep);
        return api_reply_json(r, 200, json_pack("{s:o}", "NetworksDeleted", deleted));
}
