/* SPDX-License-Identifier: Apache-2.0 */
/*
 * system reset: every pod, container, image, volume, secret and network
 * cpod made goes, through the same removals the commands use (each one
 * safe against a kill), then the store itself: whatever is still mounted
 * below the root or the runroot is unmounted, and both are renamed aside
 * and deleted, so a kill leaves either the old store or an empty one (plus
 * a renamed leftover that the next reset deletes).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include <cpod/container.h>
#include <cpod/engine.h>
#include <cpod/image.h>
#include <cpod/network.h>
#include <cpod/pod.h>
#include <cpod/secret.h>
#include <cpod/volume.h>

#include "net/net.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/failpoint.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* Keep the first error; the reset goes on with the rest. */
static void keep(cpod_error_t *first, cpod_error_t *e)
{
        if (e->kind != CPOD_E_NONE && first && first->kind == CPOD_E_NONE)
                cpod_error_move(first, e);
        cpod_error_clear(e);
}

static void remove_objects(struct cpod_runtime *rt, cpod_error_t *first)
{
        cpod_error_t e = CPOD_ERROR_INIT;
        json_t *all = NULL, *o;
        size_t i;

        if (cpod_pod_list(rt, &all, &e) == 0)
                json_array_foreach(all, i, o)
                        if (cpod_pod_remove(rt, json_get_str(o, "Id"), true, 0, &e) < 0 && e.kind != CPOD_E_NO_SUCH_POD)
                                keep(first, &e);
        keep(first, &e);
        json_decref(all);
        all = NULL;
        if (cpod_ctr_list(rt, true, &all, &e) == 0)
                json_array_foreach(all, i, o) {
                        struct cpod_rm_opts ro = { .force = true, .volumes = true, .timeout = 0 };
                        if (cpod_ctr_remove(rt, json_get_str(o, "Id"), &ro, &e) < 0 && e.kind != CPOD_E_NO_SUCH_CTR)
                                keep(first, &e);
                        cpod_error_clear(&e);
                }
        keep(first, &e);
        json_decref(all);
        all = NULL;
        if (cpod_volume_list(rt, NULL, &all, &e) == 0)
                json_array_foreach(all, i, o)
                        if (cpod_volume_remove(rt, json_get_str(o, "Name"), true, 0, &e) < 0)
                                keep(first, &e);
        keep(first, &e);
        json_decref(all);
}

static void remove_more(struct cpod_runtime *rt, cpod_error_t *first)
{
        cpod_error_t e = CPOD_ERROR_INIT;
        json_t *all = NULL, *o;
        size_t i;

        if (cpod_image_list(rt, &all, &e) == 0)
                json_array_foreach(all, i, o) {
                        _cleanup_json_ json_t *untagged = json_array(), *deleted = json_array();
                        struct cpod_rmi_opts ro = { .force = true, .ignore = true };
                        if (cpod_image_remove(rt, json_get_str(o, "Id"), &ro, untagged, deleted, &e) < 0)
                                keep(first, &e);
                }
        keep(first, &e);
        json_decref(all);
        all = NULL;
        if (cpod_secret_list(rt, &all, &e) == 0)
                json_array_foreach(all, i, o) {
                        char id[CPOD_SECRET_ID_LEN + 1];
                        if (cpod_secret_remove(rt, json_get_str(o, "ID"), id, &e) < 0)
                                keep(first, &e);
                }
        keep(first, &e);
        json_decref(all);
        all = NULL;
        if (cpod_network_list(rt, &all, &e) == 0)
                json_array_foreach(all, i, o) {
                        const char *name = json_get_str(o, "name");
                        if (strcmp(name, net_default_name(rt)) == 0)
                                net_anchors_down(rt, name);
                        else if (cpod_network_remove(rt, name, true, 0, NULL, &e) < 0)
                                keep(first, &e);
                }
        keep(first, &e);
        json_decref(all);
}

/* Unmount everything at or below dir, deepest first. */
static void unmount_below(const char *dir)
{
        _cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
        _cleanup_strv_ char **mps = xnew0(char *, 1);
        size_t n = strlen(dir);
        char line[4096], mp[4096];

        while (f && fgets(line, sizeof(line), f))
                if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) == 1 && strncmp(mp, dir, n) == 0 &&
                    (mp[n] == '/' || mp[n] == '\0'))
                        strv_add(&mps, mp);
        for (size_t i = strv_length(mps); i > 0; i--)
                (void)umount2(mps[i - 1], MNT_DETACH);
}

/* Rename dir aside (atomic: a kill leaves it whole or gone from its place), then delete it. */
static int drop_dir(const char *dir, cpod_error_t *err)
{
        _cleanup_free_ char *aside = xasprintf("%s.cpod-reset", dir);

        (void)rm_rf(aside, NULL); /* what a reset killed before left */
        unmount_below(dir);
        if (!path_exists(dir))
                return 0;
        if (rename(dir, aside) < 0) /* a mount point cannot be renamed: delete in place */
                return rm_rf(dir, err);
        return rm_rf(aside, err);
}

int cpod_system_reset(struct cpod_runtime *rt, cpod_error_t *err)
{
        cpod_error_t first = CPOD_ERROR_INIT;
        int r;

        remove_objects(rt, &first);
        remove_more(rt, &first);
        if ((r = failpoint("system-reset-mid", err)) < 0) {
                cpod_error_clear(&first);
                return r;
        }
        rt_close_modules(rt);
        /* (a volume path of its own is left: its volumes are gone, and it may be shared) */
        if (drop_dir(rt->runroot, &first) == 0)
                (void)drop_dir(rt->root, &first);
        if (first.kind != CPOD_E_NONE) {
                cpod_error_move(err, &first);
                return cpod_error_rc(err, -EIO);
        }
        return 0;
}
