/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpod_ctr_create: the wire form is parsed and checked once into the typed
 * config (lib/ctr); a pod member's joins come from lib/pod; lib/ctr
 * creates.  An engine operation because containers sit below pods.
 */
#include <errno.h>

#include <cpod/container.h>

#include "ctr/ctr.h"
#include "pod/pod-internal.h"

int cpod_ctr_create(struct cpod_runtime *rt, const json_t *params, char ret_id[65], cpod_error_t *err)
{
        struct ctr_config cfg;
        int r = ctr_config_parse(params, false, &cfg, err);

        if (r == 0 && cfg.is_infra)
                r = cpod_error_set(err, EINVAL, CPOD_E_INVALID, "a pod's infra container is created with its pod");
        if (r == 0 && cfg.pod && *cfg.pod)
                r = pod_member_resolve(rt, &cfg, err);
        if (r == 0)
                r = ctr_create(rt, &cfg, ret_id, err);
        ctr_config_clear(&cfg);
        return r;
}
