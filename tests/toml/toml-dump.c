/* SPDX-License-Identifier: Apache-2.0 */
/*
 * toml-dump FILE: print the parse of FILE as toml-test tagged JSON, or the
 * error on stderr and exit 1.  Used by difftest.py.  With --plain, print
 * the plain form that config code sees instead.
 */
#include <stdio.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/toml.h"

int main(int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_free_ char *buf = NULL, *out = NULL;
        _cleanup_json_ json_t *j = NULL;
        bool plain = argc == 3 && strcmp(argv[1], "--plain") == 0;
        const char *path = argv[argc - 1];
        size_t len;

        if (argc != 2 && !plain) {
                fprintf(stderr, "usage: %s [--plain] FILE\n", argv[0]);
                return 2;
        }
        if (read_file(path, &buf, &len, CPOD_TOML_MAX_FILE_SIZE, &err) < 0) {
                fprintf(stderr, "%s\n", cpod_error_msg(&err));
                cpod_error_clear(&err);
                return 2;
        }
        j = plain ? cpod_toml_parse(buf, len, path, &err) : cpod_toml_parse_tagged(buf, len, path, &err);
        if (!j) {
                fprintf(stderr, "%s\n", cpod_error_msg(&err));
                cpod_error_clear(&err);
                return 1;
        }
        out = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
        puts(out);
        return 0;
}
