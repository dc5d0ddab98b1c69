/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for containers.conf (lib/runtime/config.c over the TOML
 * parser): the file is the administrator's, shared with podman and other
 * tools.  Any file loads or fails with a message naming it.
 */
#include <cpod/config.h>

#include "fuzz/fuzz-helpers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *path = fuzz_write("containers.conf", data, size);
        struct cpod_config *c = NULL;
        cpod_error_t err = CPOD_ERROR_INIT;

        if (cpod_config_load(path, &c, &err) < 0) {
                if (!err.msg || !strstr(err.msg, "containers.conf"))
                        abort();
        } else if (!c) {
                abort();
        }
        cpod_config_free(c);
        cpod_error_clear(&err);
        free(path);
        return 0;
}
