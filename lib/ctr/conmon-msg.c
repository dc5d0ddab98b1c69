/* SPDX-License-Identifier: Apache-2.0 */
#include "ctr/conmon-msg.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

int conmon_parse_sync(const char *buf, size_t len, int *ret_data, char **ret_msg, cpod_error_t *err)
{
        _cleanup_json_ json_t *j = len ? json_loadb(buf, len, JSON_DISABLE_EOF_CHECK, NULL) : NULL;
        json_t *data = json_object_get(j, "data"), *msg = json_object_get(j, "message");
        json_int_t n;

        if (!json_is_integer(data))
                return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "conmon exited without reporting the container");
        n = json_integer_value(data);
        if (n == 0 || n > INT_MAX || n < -INT_MAX)
                return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "conmon reported an invalid container PID %lld",
                                      (long long)n);
        if (msg && !json_is_string(msg))
                return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "conmon sent a message that is not a string");
        *ret_data = (int)n;
        *ret_msg = xstrdup(json_string_value(msg));
        return 0;
}

bool conmon_parse_exit_code(const char *s, int *ret)
{
        char *end;
        long v;

        if (!s || !*s || strspn(s, "0123456789-") != strlen(s))
                return false;
        errno = 0;
        v = strtol(s, &end, 10);
        if (errno || *end || v < -1 || v > 255)
                return false;
        *ret = (int)v;
        return true;
}

int conmon_parse_pid(const char *s)
{
        char *end;
        long v;

        if (!s || !*s || strspn(s, "0123456789") != strlen(s))
                return 0;
        errno = 0;
        v = strtol(s, &end, 10);
        return errno || *end || v <= 0 || v > INT_MAX ? 0 : (int)v;
}

char *runtime_log_last_error(const char *buf, size_t len)
{
        char *last = NULL;

        for (size_t start = 0; start < len;) {
                const char *nl = memchr(buf + start, '\n', len - start);
                size_t n = nl ? (size_t)(nl - (buf + start)) : len - start;
                _cleanup_json_ json_t *j = n ? json_loadb(buf + start, n, 0, NULL) : NULL;
                const char *level = json_get_str(j, "level"), *msg = json_get_str(j, "msg");
                if (msg && level && strcmp(level, "error") == 0) {
                        free(last);
                        last = xstrdup(msg);
                }
                start += n + 1;
        }
        return last;
}
