/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Images in use by containers (rmi, image prune).  The image layer knows
 * nothing of containers, so the CLI composes the two, like podman's rmi:
 * refuse while a container uses the image, or remove those containers
 * first with --force.
 */
#include <errno.h>

#include <cpod/container.h>
#include <cpod/image.h>

#include "cli/commands.h"
#include "util/cleanup.h"
#include "util/strv.h"

int cli_image_in_use_check(struct cli_ctx *ctx, const char *name, bool force, cpod_error_t *err)
{
        _cleanup_strv_ char **users = NULL;
        char id[65];

        if (cpod_image_lookup(ctx->rt, name, id, err) < 0)
                return -ENOENT;
        if (cpod_ctr_ids_by_image(ctx->rt, id, &users, err) < 0)
                return -EIO;
        if (!users[0])
                return 0;
        if (!force)
                return cpod_error_set(err, EBUSY, CPOD_E_IN_USE,
                                      "image used by %s: image is in use by a container: consider listing external "
                                      "containers and force-removing image",
                                      users[0]);
        for (char **u = users; *u; u++) {
                struct cpod_rm_opts o = { .force = true, .timeout = -1 };
                if (cpod_ctr_remove(ctx->rt, *u, &o, err) < 0)
                        return -EIO;
        }
        return 0;
}
