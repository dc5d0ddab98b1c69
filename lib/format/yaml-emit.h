/* SPDX-License-Identifier: Apache-2.0 */
/* A small deterministic YAML writer for JSON values (block style, like go-yaml's output). */
#ifndef CPOD_UTIL_YAML_EMIT_H
#define CPOD_UTIL_YAML_EMIT_H

#include <jansson.h>

#include "util/strbuf.h"

void yaml_emit(const json_t *j, struct strbuf *out);

#endif
