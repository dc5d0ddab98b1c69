/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for seccomp profiles (lib/ctr/seccomp.c): a profile
 * comes from --security-opt seccomp=FILE or containers.conf.  Any document
 * converts to an OCI seccomp object or fails with a message; the result
 * serialises.  The first byte picks the capability set and architecture.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "ctr/seccomp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static char *const caps_none[] = { NULL };
        static char *const caps_some[] = { "CAP_SYS_ADMIN", "CAP_NET_ADMIN", "CAP_SYS_PTRACE", NULL };
        static const char *const arches[] = { "amd64", "arm64", "386", "s390x" };
        cpod_error_t err = CPOD_ERROR_INIT;
        json_t *p;
        char *out;

        if (size < 1)
                return 0;
        p = seccomp_profile_from_buf((const char *)data + 1, size - 1, "<fuzz>", data[0] & 1 ? caps_some : caps_none,
                                     arches[(data[0] >> 1) % 4], &err);
        if (!p) {
                if (!err.msg)
                        abort();
                cpod_error_clear(&err);
                return 0;
        }
        if (!json_is_object(p) || !(out = json_dumps(p, JSON_COMPACT)))
                abort();
        free(out);
        json_decref(p);
        return 0;
}
