/* SPDX-License-Identifier: Apache-2.0 */
/* cpod load: every image of an archive or layout into storage. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/image.h>

#include "image/copy.h"
#include "image/transports.h"
#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/xalloc.h"

int cpod_image_load(struct cpod_runtime *rt, const char *path, json_t **ret, cpod_error_t *err)
{
        struct store *s;
        struct image_source *src = NULL;
        _cleanup_free_ char *tmp = NULL;
        json_t *loaded;
        int r;

        if (rt_store(rt, &s, err) < 0)
                return cpod_error_rc(err, -EIO);
        tmp = path_join(s->graphroot, "tmp");
        if (local_source_open(path, tmp, &src, err) < 0)
                return cpod_error_wrap(err, "payload does not match any of the supported image formats");
        loaded = json_array();
        for (;;) {
                struct image_plan plan = { 0 };
                char id[65];

                r = src->next(src, &plan, err);
                if (r > 0 && (r = copy_to_store(s, src, &plan, id, err)) == 0) {
                        for (char **n = plan.names; n && *n; n++)
                                json_array_append_new(loaded, json_string(*n));
                        if (!plan.names || !plan.names[0])
                                json_array_append_new(loaded, json_sprintf("sha256:%s", id));
                        r = 1;
                }
                image_plan_clear(&plan);
                if (r <= 0)
                        break;
        }
        image_source_free(src);
        if (r < 0) {
                json_decref(loaded);
                return r;
        }
        if (json_array_size(loaded) == 0) {
                json_decref(loaded);
                return cpod_error_set(err, ENOENT, CPOD_E_INVALID, "no images found in %s", path);
        }
        *ret = loaded;
        return 0;
}
