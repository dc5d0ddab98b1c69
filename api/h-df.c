/* SPDX-License-Identifier: Apache-2.0 */
/* GET /system/df: cpod_system_df (what `cpod system df` reports) in Docker's shape. */
#include <string.h>

#include <cpod/engine.h>

#include "api/handlers.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

static json_t *sha(const char *id)
{
        return id && *id ? json_string_take(xasprintf("sha256:%s", id)) : json_string("");
}

static json_t *images(const struct cpod_df_report *d)
{
        json_t *a = json_array();

        for (size_t i = 0; i < d->n_imgs; i++) {
                const struct cpod_df_image *m = &d->imgs[i];
                json_array_append_new(a,
                                      json_pack("{s:o, s:s, s:o, s:[], s:I, s:I, s:I, s:I, s:{}, s:i}", "Id",
                                                sha(m->id), "ParentId", "", "RepoTags", json_strv(m->names, -1),
                                                "RepoDigests", "Created", (json_int_t)m->created, "Size",
                                                (json_int_t)m->size, "SharedSize", (json_int_t)m->shared, "VirtualSize",
                                                (json_int_t)m->size, "Labels", "Containers", (int)m->containers));
        }
        return a;
}

static json_t *containers(const struct cpod_df_report *d)
{
        json_t *a = json_array();

        for (size_t i = 0; i < d->n_ctrs; i++) {
                const struct cpod_df_container *c = &d->ctrs[i];
                _cleanup_free_ char *name = xasprintf("/%s", c->names ? c->names : "");
                /* The image by ID (what cpod's report has), which the docker CLI shows short. */
                json_array_append_new(a, json_pack("{s:s, s:[s], s:o, s:o, s:s, s:I, s:I, s:s, s:[], s:{}, s:[]}", "Id",
                                                   c->id, "Names", name, "Image", sha(c->image_id), "ImageID",
                                                   sha(c->image_id), "Command", c->command ? c->command : "", "Created",
                                                   (json_int_t)c->created, "SizeRw", (json_int_t)c->rw_size, "Status",
                                                   c->status ? c->status : "", "Ports", "Labels", "Mounts"));
        }
        return a;
}

static json_t *volumes(const struct cpod_df_report *d)
{
        json_t *a = json_array();

        for (size_t i = 0; i < d->n_vols; i++) {
                const struct cpod_df_volume *v = &d->vols[i];
                json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:{s:I, s:I}}", "Name", v->name, "Driver", "local",
                                                   "Scope", "local", "UsageData", "Size", (json_int_t)v->size,
                                                   "RefCount", (json_int_t)v->links));
        }
        return a;
}

enum MHD_Result api_system_df(struct api_req *r)
{
        struct cpod_df_report d = { 0 };
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        json_t *o;

        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_system_df(rt, &d, &err) < 0)
                return api_reply_cpod_error(r, &err);
        o = json_pack("{s:I, s:o, s:o, s:o, s:[]}", "LayersSize", (json_int_t)d.images.size, "Images", images(&d),
                      "Containers", containers(&d), "Volumes", volumes(&d), "BuildCache");
        cpod_df_report_clear(&d);
        return api_reply_json(r, 200, o);
}
