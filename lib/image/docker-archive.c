/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `docker save` archives: manifest.json lists images as
 * {"Config": "<file>", "RepoTags": [...], "Layers": ["<file>", ...]}.
 * There is no registry manifest: layer files are verified against the
 * config's diff IDs while they are applied, and cpod writes a Docker
 * schema 2 manifest from what it saw.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "image/fileset.h"
#include "image/manifest.h"
#include "image/reference.h"
#include "image/transports.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct docker_source {
        struct image_source base;
        struct fileset *fs;
        json_t *manifest;
        size_t next;
        long want_index; /* -1: every image */
        char *want_ref;
};

static int dsrc_open_layer(struct image_source *src, const struct plan_layer *l, struct blob *ret, cpod_error_t *err)
{
        struct docker_source *d = (struct docker_source *)src;

        return fileset_open(d->fs, l->locator, ret, err);
}

/* Docker names short names as docker.io/library/NAME. */
static void add_names(struct image_plan *plan, json_t *tags)
{
        size_t i;
        json_t *t;

        json_array_foreach(tags, i, t) {
                struct image_ref r;
                if (!json_is_string(t) || image_ref_parse(json_string_value(t), &r, NULL) < 0)
                        continue;
                image_ref_qualify(&r, "docker.io");
                if (!image_ref_too_long(&r))
                        strv_take(&plan->names, image_ref_string(&r));
                image_ref_clear(&r);
        }
}

static bool wanted(struct docker_source *d, json_t *entry, size_t idx)
{
        size_t i;
        json_t *t;

        if (d->want_index >= 0)
                return (long)idx == d->want_index;
        if (!d->want_ref)
                return true;
        json_array_foreach(json_object_get(entry, "RepoTags"), i, t)
                if (json_is_string(t) && strcmp(json_string_value(t), d->want_ref) == 0)
                        return true;
        return false;
}

static int plan_entry(struct docker_source *d, json_t *entry, struct image_plan *plan, cpod_error_t *err)
{
        const char *cfg = json_get_str(entry, "Config");
        json_t *layers = json_object_get(entry, "Layers"), *ids, *l;
        size_t i;

        if (!cfg || !json_is_array(layers))
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "%s: invalid manifest.json entry", d->base.desc);
        if (fileset_read(d->fs, cfg, CONFIG_MAX_SIZE, &plan->config, &plan->config_len, err) < 0)
                return cpod_error_rc(err, -EIO);
        digest_buf(plan->config, plan->config_len, plan->config_digest);
        {
                _cleanup_json_ json_t *c = json_parse_buf(plan->config, plan->config_len, "image config", err);
                if (!c)
                        return cpod_error_rc(err, -EINVAL);
                ids = json_path(c, "rootfs.diff_ids");
                if (json_array_size(ids) != json_array_size(layers))
                        return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT,
                                              "%s: config lists %zu layers, manifest.json %zu", d->base.desc,
                                              json_array_size(ids), json_array_size(layers));
        }
        plan->n_layers = json_array_size(layers);
        plan->layers = xnew0(struct plan_layer, plan->n_layers ? plan->n_layers : 1);
        json_array_foreach(layers, i, l) {
                if (!json_is_string(l))
                        return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "%s: bad layer entry", d->base.desc);
                plan->layers[i].locator = xstrdup(json_string_value(l));
                plan->layers[i].media_type = xstrdup(MT_DOCKER_LAYER);
                plan->layers[i].size = -1;
        }
        add_names(plan, json_object_get(entry, "RepoTags"));
        return 1;
}

static int dsrc_next(struct image_source *src, struct image_plan *plan, cpod_error_t *err)
{
        struct docker_source *d = (struct docker_source *)src;

        while (d->next < json_array_size(d->manifest)) {
                size_t idx = d->next++;
                json_t *entry = json_array_get(d->manifest, idx);
                if (wanted(d, entry, idx))
                        return plan_entry(d, entry, plan, err);
        }
        return 0;
}

static void dsrc_free(struct image_source *src)
{
        struct docker_source *d = (struct docker_source *)src;

        fileset_free(d->fs);
        json_decref(d->manifest);
        free(d->want_ref);
        free(src->desc);
        free(d);
}

int docker_archive_source_new(struct fileset *fs, const char *desc, const char *ref, struct image_source **ret,
                              cpod_error_t *err)
{
        struct docker_source *d = xzalloc(sizeof(*d));
        _cleanup_free_ char *buf = NULL;
        size_t len;

        d->fs = fs;
        d->base.desc = xstrdup(desc);
        d->base.next = dsrc_next;
        d->base.open_layer = dsrc_open_layer;
        d->base.free = dsrc_free;
        d->want_index = -1;
        if (ref && ref[0] == '@')
                d->want_index = strtol(ref + 1, NULL, 10);
        else if (ref && *ref)
                d->want_ref = xstrdup(ref);
        if (fileset_read(fs, "manifest.json", MANIFEST_MAX_SIZE, &buf, &len, err) < 0 ||
            !(d->manifest = json_parse_buf(buf, len, "manifest.json", err)) || !json_is_array(d->manifest)) {
                if (d->manifest)
                        cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "manifest.json is not an array");
                dsrc_free(&d->base);
                return cpod_error_wrap(err, "%s: invalid docker archive", desc);
        }
        *ret = &d->base;
        return 0;
}
