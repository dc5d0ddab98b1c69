/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rmi: images below containers know nothing of them, so the rule that an
 * image in use stays (or, forced, takes its containers with it) lives here.
 */
#include <errno.h>
#include <string.h>

#include <cpod/container.h>
#include <cpod/image.h>
#include <cpod/pod.h>

#include "ctr/ctr.h"
#include "image/image-internal.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"

/* Removing one of several names of an image only untags it (as podman): no container is in the way. */
static bool only_untags(struct cpod_runtime *rt, const char *name, const char *id)
{
        _cleanup_json_ json_t *ins = NULL;
        const char *hex = strncmp(name, "sha256:", 7) == 0 ? name + 7 : name;

        if (strncmp(id, hex, strlen(hex)) == 0 || cpod_image_inspect(rt, id, &ins, NULL) < 0)
                return false;
        return json_array_size(json_object_get(ins, "RepoTags")) > 1;
}

/* A user of the image goes; a pod's infra container (--infra-image) only with its pod. */
static int remove_user(struct cpod_runtime *rt, const char *id, cpod_error_t *err)
{
        struct ctr c = { 0 };
        int r = ctr_db_get(rt, id, &c, err);

        if (r < 0) {
                if (err->kind != CPOD_E_NO_SUCH_CTR)
                        return r;
                cpod_error_clear(err); /* already gone with its pod */
                return 0;
        }
        if (ctr_is_infra(&c) && c.pod_id)
                r = cpod_pod_remove(rt, c.pod_id, true, -1, err);
        else
                r = cpod_ctr_remove(rt, id, &(struct cpod_rm_opts){ .force = true, .timeout = -1 }, err);
        ctr_clear(&c);
        return r;
}

static int check_users(struct cpod_runtime *rt, const char *name, bool force, cpod_error_t *err)
{
        _cleanup_strv_ char **users = NULL;
        char id[65];
        int r;

        if ((r = cpod_image_lookup(rt, name, id, err)) < 0)
                return r;
        if (only_untags(rt, name, id))
                return 0;
        if ((r = cpod_ctr_ids_by_image(rt, id, &users, err)) < 0)
                return r;
        if (users[0] && !force)
                return cpod_error_set(err, EBUSY, CPOD_E_IN_USE,
                                      "image used by %s: image is in use by a container: consider listing external "
                                      "containers and force-removing image",
                                      users[0]);
        for (char **u = users; *u; u++)
                if ((r = remove_user(rt, *u, err)) < 0)
                        return r;
        return 0;
}

int cpod_image_remove(struct cpod_runtime *rt, const char *name, const struct cpod_rmi_opts *o, json_t *untagged,
                      json_t *deleted, cpod_error_t *err)
{
        int r = check_users(rt, name, o && o->force, err);

        if (r < 0) {
                if (o && o->ignore && err->kind == CPOD_E_NO_SUCH_IMAGE) {
                        cpod_error_clear(err);
                        return 0;
                }
                return r;
        }
        return image_remove(rt, name, o, untagged, deleted, err);
}
