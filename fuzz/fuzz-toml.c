/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the TOML parser: any input must parse or fail
 * cleanly, never crash, leak or trip the sanitizers.  Both output forms are
 * exercised; a successful parse is also serialised, so the tree it returns
 * must be well-formed for jansson.  Seed with tests/toml/{valid,invalid}.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/json.h"
#include "util/toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        json_t *plain = cpod_toml_parse((const char *)data, size, "<fuzz>", &err);
        json_t *tagged;
        char *s;

        /* A failed parse must say why, and where. */
        if (!plain && (err.kind != CPOD_E_INVALID || !err.msg))
                abort();
        cpod_error_clear(&err);
        tagged = cpod_toml_parse_tagged((const char *)data, size, "<fuzz>", &err);
        /* Both forms accept exactly the same documents. */
        if (!plain != !tagged)
                abort();
        cpod_error_clear(&err);
        if (plain) {
                s = json_dumps(plain, JSON_COMPACT);
                if (!s)
                        abort();
                free(s);
        }
        json_decref(plain);
        json_decref(tagged);
        return 0;
}
