/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for what conmon and the OCI runtime report back
 * (lib/ctr/conmon-msg.c): the sync pipe's JSON line, the exit file, PID
 * files and the runtime's JSON log.  The first byte picks the parser.  A
 * sync report is a PID > 0 or a failure < 0, never 0 (kill(0) would hit
 * cpod's own process group); an exit code is -1..255; a PID is > 0.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctr/conmon-msg.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        const char *buf = (const char *)data + 1;
        size_t len = size ? size - 1 : 0;
        char *s, *msg = NULL;
        int v = 0;

        if (size < 1)
                return 0;
        switch (data[0] % 4) {
        case 0:
                if (conmon_parse_sync(buf, len, &v, &msg, &err) == 0) {
                        if (v == 0)
                                abort();
                        free(msg);
                } else if (!err.msg) {
                        abort();
                }
                cpod_error_clear(&err);
                break;
        case 1:
                s = xstrndup(buf, len);
                if (conmon_parse_exit_code(s, &v) && (v < -1 || v > 255))
                        abort();
                free(s);
                break;
        case 2:
                s = xstrndup(buf, len);
                if (conmon_parse_pid(s) < 0)
                        abort();
                free(s);
                break;
        default:
                free(runtime_log_last_error(buf, len));
                break;
        }
        return 0;
}
