/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Images in use by containers (rmi, image prune).  The image layer knows
 * nothing of containers, so the CLI composes the two, like podman's rmi:
 * refuse while a container uses the image, or remove those containers
 * first with --force.
 */
#include <errno.h>
#include <string.h>

#include <cpod/container.h>
#include <cpod/image.h>
#include <cpod/pod.h>

#include "cli/commands.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"

/* Removing one of several names of an image only untags it (as podman): no container is in the way. */
static bool only_untags(struct cli_ctx *ctx, const char *name, const char *id)
{
        _cleanup_json_ json_t *ins = NULL;
        const char *hex = strncmp(name, "sha256:", 7) == 0 ? name + 7 : name;

        if (strncmp(id, hex, strlen(hex)) == 0 || cpod_image_inspect(ctx->rt, id, &ins, NULL) < 0)
                return false;
        return json_array_size(json_object_get(ins, "RepoTags")) > 1;
}

/* A user of the image goes; a pod's infra container (--infra-image) only with its pod. */
static int remove_user(struct cli_ctx *ctx, const char *id, cpod_error_t *err)
{
        struct cpod_rm_opts o = { .force = true, .timeout = -1 };
        _cleanup_json_ json_t *ins = NULL;
        const char *pod;

        if (cpod_ctr_inspect(ctx->rt, id, false, &ins, err) < 0) {
                if (err->kind != CPOD_E_NO_SUCH_CTR)
                        return -EIO;
                cpod_error_clear(err); /* already gone with its pod */
                return 0;
        }
        pod = json_get_str(ins, "Pod");
        if (json_is_true(json_object_get(ins, "IsInfra")) && pod && *pod)
                return cpod_pod_remove(ctx->rt, pod, true, -1, err);
        return cpod_ctr_remove(ctx->rt, id, &o, err);
}

int cli_image_in_use_check(struct cli_ctx *ctx, const char *name, bool force, cpod_error_t *err)
{
        _cleanup_strv_ char **users = NULL;
        char id[65];

        if (cpod_image_lookup(ctx->rt, name, id, err) < 0)
                return -ENOENT;
        if (only_untags(ctx, name, id))
                return 0;
        if (cpod_ctr_ids_by_image(ctx->rt, id, &users, err) < 0)
                return -EIO;
        if (!users[0])
                return 0;
        if (!force)
                return cpod_error_set(err, EBUSY, CPOD_E_IN_USE,
                                      "image used by %s: image is in use by a container: consider listing external "
                                      "containers and force-removing image",
                                      users[0]);
        for (char **u = users; *u; u++)
                if (remove_user(ctx, *u, err) < 0)
                        return -EIO;
        return 0;
}
