/* SPDX-License-Identifier: Apache-2.0 */
/*
 * system df: images (lib/image: sizes, layers shared between images),
 * containers (lib/ctr: writable layers) and volumes, and which of them are
 * in use.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/container.h>
#include <cpod/engine.h>
#include <cpod/image.h>
#include <cpod/volume.h>

#include "ctr/ctr.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

void cpod_df_report_clear(struct cpod_df_report *r)
{
        if (!r)
                return;
        for (size_t i = 0; i < r->n_imgs; i++)
                strv_free(r->imgs[i].names);
        for (size_t i = 0; i < r->n_ctrs; i++) {
                free(r->ctrs[i].image_id);
                free(r->ctrs[i].command);
                free(r->ctrs[i].names);
                free(r->ctrs[i].status);
        }
        for (size_t i = 0; i < r->n_vols; i++)
                free(r->vols[i].name);
        free(r->imgs);
        free(r->ctrs);
        free(r->vols);
        memset(r, 0, sizeof(*r));
}

static int images(struct cpod_runtime *rt, struct cpod_df_report *r, cpod_error_t *err)
{
        _cleanup_json_ json_t *imgs = NULL, *used = NULL, *disk = NULL;
        size_t i;
        json_t *img;
        int rc;

        if ((rc = cpod_image_list(rt, &imgs, err)) < 0 || (rc = cpod_ctr_count_by_image(rt, &used, err)) < 0 ||
            (rc = cpod_image_disk_usage(rt, used, &disk, err)) < 0)
                return rc;
        r->imgs = xnew0(struct cpod_df_image, json_array_size(imgs) + 1);
        json_array_foreach(imgs, i, img) {
                struct cpod_df_image *d = &r->imgs[r->n_imgs++];
                snprintf(d->id, sizeof(d->id), "%s", json_get_str(img, "Id"));
                d->names = json_to_strv(json_object_get(img, "Names"));
                d->created = json_get_int(img, "Created", 0);
                d->size = json_get_int(img, "Size", 0);
                d->shared = json_get_int(json_object_get(disk, "Shared"), d->id, 0);
                d->unique = d->size - d->shared;
                d->containers = (long)json_get_int(used, d->id, 0);
                r->images.active += d->containers > 0;
        }
        r->images.total = (long)r->n_imgs;
        r->images.size = json_get_int(disk, "Total", 0);
        r->images.reclaimable = json_get_int(disk, "Reclaimable", 0);
        return 0;
}

static int containers(struct cpod_runtime *rt, struct cpod_df_report *r, cpod_error_t *err)
{
        struct ctr *v;
        size_t n;
        int rc;

        if ((rc = ctr_db_list(rt, &v, &n, err)) < 0)
                return rc;
        r->ctrs = xnew0(struct cpod_df_container, n + 1);
        for (size_t i = 0; i < n; i++) {
                struct cpod_df_container *d = &r->ctrs[r->n_ctrs++];
                int64_t rootfs = 0;
                cpod_error_t ignore = CPOD_ERROR_INIT;
                bool running;

                ctr_reconcile_view(rt, &v[i]);
                running = v[i].state == CPOD_CTR_RUNNING;
                snprintf(d->id, sizeof(d->id), "%s", v[i].id);
                d->image_id = xstrdup(v[i].image_id ? v[i].image_id : "");
                d->command = xstrdup(v[i].command ? v[i].command : "");
                d->names = xstrdup(v[i].name);
                d->status = xstrdup(cpod_ctr_state_name(v[i].state));
                d->created = v[i].created / 1000000000LL;
                (void)cpod_ctr_size(rt, v[i].id, &d->rw_size, &rootfs, &ignore);
                cpod_error_clear(&ignore);
                d->volumes = (long)json_array_size(v[i].cfg.named_volumes);
                r->containers.size += d->rw_size;
                r->containers.active += running;
                r->containers.reclaimable += running ? 0 : d->rw_size;
        }
        r->containers.total = (long)n;
        ctrs_free(v, n);
        return 0;
}

static int volumes(struct cpod_runtime *rt, struct cpod_df_report *r, cpod_error_t *err)
{
        _cleanup_json_ json_t *all = NULL;
        json_t *v;
        size_t i;
        int rc;

        if ((rc = cpod_volume_list(rt, NULL, &all, err)) < 0)
                return rc;
        r->vols = xnew0(struct cpod_df_volume, json_array_size(all) + 1);
        json_array_foreach(all, i, v) {
                struct cpod_df_volume *d = &r->vols[r->n_vols++];
                _cleanup_strv_ char **users = NULL;
                d->name = xstrdup(json_get_str(v, "Name"));
                if (cpod_volume_containers(rt, d->name, &users, NULL) == 0)
                        d->links = (long)strv_length(users);
                d->size = dir_size(json_get_str(v, "Mountpoint"));
                r->volumes.size += d->size;
                r->volumes.active += d->links > 0;
                r->volumes.reclaimable += d->links > 0 ? 0 : d->size;
        }
        r->volumes.total = (long)r->n_vols;
        return 0;
}

int cpod_system_df(struct cpod_runtime *rt, struct cpod_df_report *ret, cpod_error_t *err)
{
        int r;

        memset(ret, 0, sizeof(*ret));
        if ((r = images(rt, ret, err)) < 0 || (r = containers(rt, ret, err)) < 0 || (r = volumes(rt, ret, err)) < 0) {
                cpod_df_report_clear(ret);
                return r;
        }
        return 0;
}
