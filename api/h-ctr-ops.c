/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Smaller container endpoints, each one library call as the matching cpod command makes it:
 * pause, unpause, rename, top, changes and export.
 */
#include <stdlib.h>
#include <string.h>

#include <cpod/container.h>

#include "api/deferred.h"
#include "api/handlers.h"
#include "api/server.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* Run op on the container named in the path; 204 when it went. */
static enum MHD_Result simple(struct api_req *r, int (*op)(struct cpod_runtime *, const char *, cpod_error_t *))
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt;
        enum MHD_Result ret;

        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (op(rt, r->arg[0], &err) < 0)
                return api_reply_cpod_error(r, &err);
        return api_reply_empty(r, 204);
}

enum MHD_Result api_ctr_pause(struct api_req *r)
{
        return simple(r, cpod_ctr_pause);
}

enum MHD_Result api_ctr_unpause(struct api_req *r)
{
        return simple(r, cpod_ctr_unpause);
}

enum MHD_Result api_ctr_rename(struct api_req *r)
{
        const char *name = api_query(r, "name");
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt;
        enum MHD_Result ret;

        if (!name || !*name)
                return api_reply_error(r, 400, "name is required");
        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_ctr_rename(rt, r->arg[0], name, &err) < 0)
                return api_reply_cpod_error(r, &err);
        return api_reply_empty(r, 204);
}

/* ps_args as top's descriptors ("-o pid,args" or "pid,args"): what cpod knows, else NULL. */
static char **descriptors(const char *ps_args)
{
        _cleanup_strv_ char **words = strv_split(ps_args ? ps_args : "", " ,");
        char **v = xnew0(char *, 1);

        for (char **w = words; *w; w++)
                if (strcmp(*w, "-o") != 0)
                        strv_add(&v, *w);
        if (!cpod_ctr_top_descriptors_known(v))
                v = strv_free(v);
        return v;
}

enum MHD_Result api_ctr_top(struct api_req *r)
{
        const char *ps_args = api_query(r, "ps_args");
        _cleanup_strv_ char **descs = descriptors(ps_args);
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *rows = NULL;
        struct cpod_runtime *rt;
        enum MHD_Result ret;

        if (!descs)
                return api_reply_error(r, 400, "ps_args \"%s\": cpod's top knows podman's descriptors only", ps_args);
        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_ctr_top(rt, r->arg[0], descs, &rows, &err) < 0)
                return api_reply_cpod_error(r, &err);
        if (json_array_size(rows) == 0)
                return api_reply_error(r, 500, "top returned no titles");
        json_t *titles = json_incref(json_array_get(rows, 0));
        json_array_remove(rows, 0);
        return api_reply_json(r, 200, json_pack("{s:o, s:O}", "Titles", titles, "Processes", rows));
}

enum MHD_Result api_ctr_changes(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        json_t *changes;

        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_ctr_diff(rt, r->arg[0], &changes, &err) < 0)
                return api_reply_cpod_error(r, &err);
        return api_reply_json(r, 200, changes);
}

static void produce_export(void *ud, struct api_server *srv, int fd)
{
        char *id = ud;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt = NULL;

        /* A failure after the headers can only cut the tar short. */
        if (fd >= 0 && cpod_runtime_open(srv->opts->rt_opts, &rt, &err) == 0)
                (void)cpod_ctr_export(rt, id, fd, &err);
        cpod_error_clear(&err);
        cpod_runtime_unref(rt);
        free(id);
}

enum MHD_Result api_ctr_export(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        char id[65];

        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_ctr_lookup(rt, r->arg[0], id, &err) < 0)
                return api_reply_cpod_error(r, &err);
        return api_reply_deferred(r, "application/x-tar", produce_export, xstrdup(id));
}
