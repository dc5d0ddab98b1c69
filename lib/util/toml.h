/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A strict TOML 1.0 parser (https://toml.io/en/v1.0.0) for containers.conf,
 * registries.conf and storage.conf.  Debian 12 packages no C TOML library.
 *
 * Threat model: the files come from the admin, the user or a package, so a
 * document may be malformed or hostile.  The input is length-delimited (a NUL
 * byte is a control character, never a terminator), must be valid UTF-8, and
 * containers (tables, arrays, inline tables, one level per dotted-key or
 * header component) nest at most CPOD_TOML_MAX_DEPTH deep, which bounds every
 * recursion in the parser.  Anything outside the 1.0 grammar is rejected.
 *
 * The result is a jansson tree, so config code can use json_unpack():
 *   table            object, keys in document order
 *   array            array (mixed types allowed, as in TOML 1.0)
 *   string           string; "\u0000" is legal TOML, so use
 *                    json_string_length() where an embedded NUL matters
 *   integer          integer; values outside int64 are a parse error
 *   float            real; inf and nan, which JSON cannot hold, become the
 *                    strings "inf", "-inf" and "nan" (the sign of a nan is
 *                    dropped); a finite literal that overflows a double
 *                    (1e400) is an error, as in Go's BurntSushi/toml
 *   boolean          true / false
 *   offset date-time, local date-time, local date, local time
 *                    string as written (fraction digits and offset kept),
 *                    normalised to a 'T' separator and upper-case 'T'/'Z':
 *                    "1979-05-27T07:32:00.5-07:00", "1979-05-27T07:32:00",
 *                    "1979-05-27", "07:32:00"
 *
 * Deviations, all on the strict side of the spec except the first: a leading
 * UTF-8 byte order mark is skipped (podman's Go parser does the same); a
 * leap second (":60") is rejected; CRLF inside multi-line strings is
 * normalised to LF.
 */
#ifndef CPOD_UTIL_TOML_H
#define CPOD_UTIL_TOML_H

#include <jansson.h>
#include <stddef.h>

#include <cpod/error.h>

/* Deepest nesting accepted; the root table is depth 0. */
#define CPOD_TOML_MAX_DEPTH 128
/* Largest file cpod_toml_parse_file() reads. */
#define CPOD_TOML_MAX_FILE_SIZE (16u << 20)

/*
 * Parse a TOML 1.0 document of len bytes (buf need not be NUL-terminated).
 * On success returns a new JSON object (caller owns the reference).  On error
 * returns NULL and sets err (kind CPOD_E_INVALID, code EINVAL) to
 * "FILENAME:LINE:COL: what is wrong"; filename is used only for the message
 * (NULL means "<input>"); LINE and COL count from 1, COL in characters.
 */
json_t *cpod_toml_parse(const char *buf, size_t len, const char *filename, cpod_error_t *err);

/*
 * Like cpod_toml_parse, but every scalar is tagged as in the toml-test suite:
 * {"type": "string"|"integer"|"float"|"bool"|"datetime"|"datetime-local"|
 * "date-local"|"time-local", "value": "<text>"}.  Integers print in decimal,
 * floats as the shortest text that round-trips ("inf", "-inf", "nan").
 * Used by tests/toml/toml-dump and the differential test.
 */
json_t *cpod_toml_parse_tagged(const char *buf, size_t len, const char *filename, cpod_error_t *err);

/* Read path (at most CPOD_TOML_MAX_FILE_SIZE bytes) and parse it. */
json_t *cpod_toml_parse_file(const char *path, cpod_error_t *err);

#endif
