/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for manifests and indexes (lib/image/manifest.c), which
 * come from registries and archives: any document must parse or fail
 * cleanly with a CORRUPT/INVALID/NOT_SUPPORTED error, under each media type
 * a registry may claim; a parsed index must choose a platform or say what
 * it offers.  The first byte picks the claimed media type.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "image/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const char *const hints[] = { NULL,           MT_OCI_MANIFEST, MT_OCI_INDEX, MT_DOCKER_MANIFEST,
                                             MT_DOCKER_LIST, MT_DOCKER_V1 };
        cpod_error_t err = CPOD_ERROR_INIT;
        struct manifest m;
        const char *hint;

        if (size < 1)
                return 0;
        hint = hints[data[0] % (sizeof(hints) / sizeof(hints[0]))];
        if (manifest_parse((const char *)data + 1, size - 1, hint, &m, &err) < 0) {
                if (!err.msg ||
                    (err.kind != CPOD_E_CORRUPT && err.kind != CPOD_E_INVALID && err.kind != CPOD_E_NOT_SUPPORTED))
                        abort();
                cpod_error_clear(&err);
                return 0;
        }
        if (m.kind == MANIFEST_IMAGE && (!m.config.digest || (m.n_layers && !m.layers)))
                abort();
        if (m.kind == MANIFEST_INDEX) {
                int i = manifest_choose(&m, NULL, NULL, NULL, &err);
                if ((i < 0 && !err.msg) || (i >= 0 && (size_t)i >= m.n_manifests))
                        abort();
                cpod_error_clear(&err);
        }
        manifest_clear(&m);
        return 0;
}
