/* SPDX-License-Identifier: Apache-2.0 */
/* Container events, in podman's shape: ID, name, image, pod and labels (lib/runtime/events.c writes them). */
#include "ctr/ctr.h"
#include "runtime/events.h"

void ctr_event_code(struct cpod_runtime *rt, const struct ctr *c, const char *status, int exit_code)
{
        struct rt_event ev = {
                .type = "container",
                .status = status,
                .id = c->id,
                .name = c->name,
                .image = c->image_name,
                .pod_id = c->pod_id,
                .exit_code = exit_code,
                .attributes = json_is_object(c->labels) ? c->labels : NULL,
        };

        rt_event(rt, &ev);
}

void ctr_event(struct cpod_runtime *rt, const struct ctr *c, const char *status)
{
        ctr_event_code(rt, c, status, 0);
}
