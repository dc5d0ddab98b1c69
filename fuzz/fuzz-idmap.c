/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for user namespace mappings: --uidmap/--gidmap values and auto's
 * uidmapping= (lib/util/idmap.c) and /etc/subuid lines (lib/ctr/userns-auto.c).  Input:
 * mapping NUL subid-file NUL user.  A parsed mapping has non-empty ranges within 32 bits that
 * print back to what parses to the same ranges; a subid lookup succeeds or says why.
 */
#include <stdlib.h>
#include <string.h>

#include "ctr/userns.h"
#include "fuzz/fuzz-helpers.h"
#include "util/idmap.h"
#include "util/strv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *maps = fuzz_part(data, size, 0), *file = fuzz_part(data, size, 1), *user = fuzz_part(data, size, 2);
        char **v = strv_split(maps, ",");
        char *path = fuzz_write("subuid", file, strlen(file));
        struct idmap m = { 0 }, again = { 0 }, sub = { 0 };
        cpod_error_t err = CPOD_ERROR_INIT;
        const char *bad = NULL;

        if (idmap_parse_strv(v, &m, &bad) == 0) {
                char **out = idmap_to_strv(&m);
                for (size_t i = 0; i < m.n; i++)
                        if (!m.v[i].size || (uint64_t)m.v[i].ctr + m.v[i].size - 1 > UINT32_MAX)
                                abort();
                if (idmap_parse_strv(out, &again, &bad) < 0 || again.n != m.n ||
                    memcmp(again.v, m.v, m.n * sizeof(*m.v)) != 0)
                        abort();
                (void)idmap_first_overlap(&m);
                strv_free(out);
        } else if (!bad) {
                abort();
        }
        if (userns_subids(path, *user ? user : "containers", &sub, &err) < 0 && !err.msg)
                abort();
        cpod_error_clear(&err);
        idmap_clear(&m);
        idmap_clear(&again);
        idmap_clear(&sub);
        strv_free(v);
        free(path);
        free(maps);
        free(file);
        free(user);
        return 0;
}
