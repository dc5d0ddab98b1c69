/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON text exactly as Go's encoding/json writes it, which is what podman
 * prints: json.Marshal (compact) and json.MarshalIndent(v, "", indent).
 * It differs from jansson's dumps in the details users diff against podman:
 * reals in the shortest form ("0.1", "1e+21", "1e-7"), control characters
 * as \u00XX except \n \r \t, U+2028/U+2029 escaped, invalid UTF-8 as
 * \ufffd, and optionally <, > and & as \u003c... (escape_html).  Object keys
 * keep their insertion order (podman's values are structs, not maps).
 */
#ifndef CPOD_UTIL_JSON_GO_H
#define CPOD_UTIL_JSON_GO_H

#include <jansson.h>
#include <stdbool.h>

#include "util/strbuf.h"

enum json_go_flags {
        JSON_GO_ESCAPE_HTML = 1 << 0, /* json.Marshal's default; podman's json template function turns it off */
};

/* Append v; indent NULL gives the compact form, else one line per element indented by indent per level. */
void json_go_append(struct strbuf *out, const json_t *v, const char *indent, unsigned flags);

#endif
