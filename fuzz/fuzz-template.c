/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for --format templates: the input is a template, a NUL
 * byte, then a JSON document used as the data (a fixed document when the
 * part is missing or not JSON).  Parsing and execution must never crash,
 * leak or run away; the output is also pushed through the tab writer, as
 * "table" formats do.  Limits are lowered so slow inputs stay fast.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "format/tabwriter.h"
#include "format/template.h"

static const char default_data[] =
        "{\"ID\":\"abc\",\"Names\":[\"a\",\"b\"],\"Labels\":{\"k\":\"v\"},\"Size\":12.5,\"N\":3,"
        "\"State\":{\"Running\":true,\"Pid\":0},\"List\":[1,\"x\",null,[2],{\"A\":1}],\"Nil\":null}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const char *src = (const char *)data;
        const char *nul = memchr(src, '\0', size);
        size_t tlen = nul ? (size_t)(nul - src) : size;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct strbuf out = STRBUF_INIT, aligned = STRBUF_INIT;
        json_t *doc = NULL;
        struct cpod_tmpl *t;

        if (nul)
                doc = json_loadb(nul + 1, size - tlen - 1, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
        if (!doc)
                doc = json_loads(default_data, 0, NULL);
        t = cpod_tmpl_parse_buf(src, tlen, &err);
        /* A failure must say why. */
        if (!t && (err.kind != CPOD_E_INVALID || !err.msg))
                abort();
        if (t) {
                cpod_tmpl_set_limits(t, 1 << 20, 200000);
                if (cpod_tmpl_exec_flags(t, doc, tlen % 2 ? CPOD_TMPL_LAX_FIELDS : 0, &out, &err) == 0)
                        cpod_tabwrite(out.buf, out.len, &aligned);
                else if (err.kind != CPOD_E_INVALID || !err.msg || out.len != 0)
                        abort();
        }
        cpod_tmpl_free(t);
        json_decref(doc);
        strbuf_release(&out);
        strbuf_release(&aligned);
        cpod_error_clear(&err);
        return 0;
}
