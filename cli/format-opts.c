/* SPDX-License-Identifier: Apache-2.0 */
/* --noheading on top of cli_print_list: render, then drop the header line of a table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/format.h"
#include "cli/output.h"

static bool is_table(const char *format, const char *default_fmt)
{
        const char *f = format && *format ? format : default_fmt;

        return strncmp(f, "table", 5) == 0;
}

int cli_print_list_opts(FILE *out, const char *format, const char *default_fmt, const struct fmt_header *headers,
                        json_t *rows, json_t *json_value, bool noheading, cpod_error_t *err)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *mem;
        int r;

        if (!noheading || !is_table(format, default_fmt) || (format && strcmp(format, "json") == 0))
                return cli_print_list(out, format, default_fmt, headers, rows, json_value, err);
        mem = open_memstream(&buf, &len);
        if (!mem)
                return cli_print_list(out, format, default_fmt, headers, rows, json_value, err);
        r = cli_print_list(mem, format, default_fmt, headers, rows, json_value, err);
        fclose(mem);
        if (r == 0) {
                const char *nl = memchr(buf, '\n', len);
                if (nl)
                        fwrite(nl + 1, 1, len - (size_t)(nl + 1 - buf), out);
        }
        free(buf);
        return r;
}
