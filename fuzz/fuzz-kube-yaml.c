/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the kube YAML reader: any input must parse or fail
 * cleanly with line and column, never crash, leak, trip the sanitizers or
 * blow up on aliases (the limits bound the work per input).  A successful
 * parse is serialised, so the values it returns must be well-formed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kube/yaml-read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        json_t *docs = NULL;
        char *s;

        if (yaml_read_all((const char *)data, size, NULL, &docs, &err) < 0) {
                if (err.kind != CPOD_E_INVALID || !err.msg || !strstr(err.msg, "yaml: "))
                        abort();
                cpod_error_clear(&err);
                return 0;
        }
        if (!json_is_array(docs))
                abort();
        s = json_dumps(docs, JSON_COMPACT | JSON_ENCODE_ANY);
        if (!s)
                abort();
        free(s);
        json_decref(docs);
        return 0;
}
