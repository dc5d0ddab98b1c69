/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `ps`: the containers' listing (lib/ctr) with the names of their pods (lib/pod), which is why
 * it is an engine operation: containers sit below pods and do not read pod records.
 */
#include <errno.h>

#include <cpod/container.h>

#include "ctr/ctr.h"
#include "pod/pod-internal.h"
#include "util/cleanup.h"
#include "util/json.h"

int cpod_ctr_list(struct cpod_runtime *rt, bool all, json_t **ret, cpod_error_t *err)
{
        _cleanup_json_ json_t *pods = NULL;
        json_t *list, *e;
        size_t i;
        int r = ctr_list(rt, all, &list, err);

        if (r < 0)
                return r;
        json_array_foreach(list, i, e) {
                const char *pod = json_get_str(e, "Pod");
                json_t *name;
                if (!pod || !*pod)
                        continue;
                if (!pods && !(pods = pod_names_by_id(rt, err))) {
                        json_decref(list);
                        return cpod_error_rc(err, -EIO);
                }
                name = json_object_get(pods, pod);
                json_object_set_new(e, "PodName", name ? json_incref(name) : json_string(""));
        }
        *ret = list;
        return 0;
}
