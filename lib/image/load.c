/* SPDX-License-Identifier: Apache-2.0 */
/* cpod load: every image of an archive or layout into storage. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/image.h>

#include "image/copy.h"
#include "image/policy.h"
#include "image/transports.h"
#include "runtime/events.h"
#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/xalloc.h"

/*
 * The signature policy for one image of a local source: its transport and path (an OCI layout that
 * is a directory is "oci", an archive "oci-archive"), named in messages as podman does.
 */
static int check_policy(struct cpod_runtime *rt, const struct image_source *src, const struct image_plan *plan,
                        cpod_error_t *err)
{
        const char *colon = strchr(src->desc, ':');
        _cleanup_free_ char *transport = colon ? xstrndup(src->desc, (size_t)(colon - src->desc)) : xstrdup("dir");
        _cleanup_free_ char *name = NULL;
        const char *path = colon ? colon + 1 : src->desc;

        if (strcmp(transport, "oci-archive") == 0 && is_dir(path)) {
                free(transport);
                transport = xstrdup("oci");
        }
        name = plan->names && plan->names[0] ? xasprintf("%s:%s", src->desc, plan->names[0]) : xstrdup(src->desc);
        return policy_check(rt, transport, path, name, NULL, NULL, err);
}

/* Copy every image of the source into the store; names (or "sha256:ID" for an unnamed one) and IDs. */
static int load_all(struct cpod_runtime *rt, struct store *s, const char *spec, bool check, json_t *names, json_t *ids,
                    cpod_error_t *err)
{
        _cleanup_free_ char *tmp = path_join(s->graphroot, "tmp");
        struct image_source *src = NULL;
        int r;

        if (local_source_open(spec, tmp, &src, err) < 0)
                return cpod_error_wrap(err, "payload does not match any of the supported image formats");
        for (;;) {
                struct image_plan plan = { 0 };
                char id[65];

                r = src->next(src, &plan, err);
                if (r > 0 && check && check_policy(rt, src, &plan, err) < 0)
                        r = -EACCES;
                if (r > 0 && (r = copy_to_store(s, src, &plan, id, err)) == 0) {
                        for (char **n = plan.names; n && *n; n++)
                                json_array_append_new(names, json_string(*n));
                        if (!plan.names || !plan.names[0])
                                json_array_append_new(names, json_sprintf("sha256:%s", id));
                        json_array_append_new(ids, json_string(id));
                        r = 1;
                }
                image_plan_clear(&plan);
                if (r <= 0)
                        break;
        }
        image_source_free(src);
        if (r == 0 && json_array_size(ids) == 0)
                r = cpod_error_set(err, ENOENT, CPOD_E_INVALID, "no images found in %s", spec);
        return r;
}

int cpod_image_load(struct cpod_runtime *rt, const char *path, json_t **ret, cpod_error_t *err)
{
        _cleanup_json_ json_t *ids = json_array();
        json_t *names = json_array();
        struct store *s;

        if (rt_store(rt, &s, err) < 0 || load_all(rt, s, path, true, names, ids, err) < 0) {
                json_decref(names);
                return cpod_error_rc(err, -EIO);
        }
        *ret = names;
        rt_event_simple(rt, "image", "loadfromarchive", NULL, path); /* podman's: no ID, the path as given */
        return 0;
}

bool image_local_transport(const char *name)
{
        static const char *const prefixes[] = { "oci:", "oci-archive:", "docker-archive:", "dir:" };

        for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
                if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
                        return true;
        return false;
}

int image_pull_local(struct cpod_runtime *rt, const char *spec, bool check, json_t **ret_ids, cpod_error_t *err)
{
        _cleanup_json_ json_t *names = json_array();
        json_t *ids = json_array();
        struct store *s;

        if (rt_store(rt, &s, err) < 0 || load_all(rt, s, spec, check, names, ids, err) < 0) {
                json_decref(ids);
                return cpod_error_rc(err, -EIO);
        }
        *ret_ids = ids;
        return 0;
}
