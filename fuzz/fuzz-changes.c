/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for --change instructions (lib/image/changes.c: commit,
 * import): each input line is one Dockerfile instruction applied to an
 * image config.  Every line is applied or refused with an INVALID error;
 * the config stays a JSON object that serialises.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "image/changes.h"
#include "util/strv.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *text = xstrndup((const char *)data, size);
        char **lines = strv_split(text, "\n");
        json_t *cfg = json_pack("{s:[s], s:[s], s:s}", "Env", "PATH=/bin", "Cmd", "sh", "WorkingDir", "/");
        char *out;

        for (char **l = lines; l && *l; l++) {
                cpod_error_t err = CPOD_ERROR_INIT;
                if (image_apply_change(cfg, *l, &err) < 0 && (!err.msg || err.kind != CPOD_E_INVALID))
                        abort();
                cpod_error_clear(&err);
        }
        if (!json_is_object(cfg) || !(out = json_dumps(cfg, JSON_COMPACT)))
                abort();
        free(out);
        json_decref(cfg);
        strv_free(lines);
        free(text);
        return 0;
}
