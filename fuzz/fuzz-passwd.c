/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for /etc/passwd and /etc/group of an image
 * (lib/ctr/spec-user.c): the image controls both files, and --user and
 * --group-add name entries in them.  Input: passwd NUL group NUL user NUL
 * groups (comma-separated).  Every lookup resolves or fails with a message;
 * a resolved user has a uid and gid.
 */
#include <jansson.h>

#include "ctr/spec.h"
#include "fuzz/fuzz-helpers.h"
#include "util/strv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *passwd = fuzz_part(data, size, 0), *group = fuzz_part(data, size, 1);
        char *user = fuzz_part(data, size, 2), *groups = fuzz_part(data, size, 3);
        char *etc = path_join(fuzz_scratch(), "etc"), *home = NULL;
        char **gv = strv_split(groups, ",");
        json_t *proc = json_object();
        cpod_error_t err = CPOD_ERROR_INIT;

        (void)mkdir_p(etc, 0755, NULL);
        free(fuzz_write("etc/passwd", passwd, strlen(passwd)));
        free(fuzz_write("etc/group", group, strlen(group)));
        if (spec_resolve_user(fuzz_scratch(), *user ? user : "0", proc, &home, &err) == 0) {
                json_t *u = json_object_get(proc, "user");
                if (!json_is_integer(json_object_get(u, "uid")) || !json_is_integer(json_object_get(u, "gid")))
                        abort();
                if (spec_add_groups(fuzz_scratch(), gv, proc, &err) < 0 && !err.msg)
                        abort();
        } else if (!err.msg) {
                abort();
        }
        cpod_error_clear(&err);
        json_decref(proc);
        strv_free(gv);
        free(home);
        free(etc);
        free(passwd);
        free(group);
        free(user);
        free(groups);
        return 0;
}
