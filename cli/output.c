/* SPDX-License-Identifier: Apache-2.0 */
#include "cli/output.h"

#include <stdlib.h>
#include <string.h>

#include "cli/format.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "format/yaml-emit.h"

void cli_print_json(FILE *out, const json_t *j)
{
        char *s = json_dump_pretty(j);

        fprintf(out, "%s\n", s ? s : "null");
        free(s);
}

int cli_print_object(FILE *out, const char *format, json_t *obj, bool yaml_default, cpod_error_t *err)
{
        json_t *one;
        int r;

        if (!format || !*format) {
                if (yaml_default) {
                        struct strbuf sb = STRBUF_INIT;
                        yaml_emit(obj, &sb);
                        fputs(sb.buf, out);
                        strbuf_release(&sb);
                } else {
                        cli_print_json(out, obj);
                }
                return 0;
        }
        if (strcmp(format, "json") == 0 || strcmp(format, "{{json .}}") == 0) {
                cli_print_json(out, obj);
                return 0;
        }
        one = json_pack("[O]", obj);
        r = cli_print_inspect(out, format, one, err);
        json_decref(one);
        return r;
}
