/* SPDX-License-Identifier: Apache-2.0 */
/* The runtime handle's storage: opened on first use with the handle's paths and driver. */
#include <errno.h>

#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/fileutil.h"

static void slot_free(void *p)
{
        (void)store_close(p);
}

int rt_store(struct cpod_runtime *rt, struct store **ret, cpod_error_t *err)
{
        _cleanup_free_ char *graphroot = NULL, *runroot = NULL;
        struct store *s;
        int r;

        if (rt->mod[RT_MOD_STORAGE].p) {
                *ret = rt->mod[RT_MOD_STORAGE].p;
                return 0;
        }
        graphroot = path_join(rt->root, "storage");
        runroot = path_join(rt->runroot, "storage");
        r = store_open(&(struct store_opts){ .graphroot = graphroot, .runroot = runroot, .driver = rt->storage_driver },
                       &s, err);
        if (r < 0)
                return r;
        rt->mod[RT_MOD_STORAGE].p = s;
        rt->mod[RT_MOD_STORAGE].free = slot_free;
        *ret = s;
        return 0;
}
