/* SPDX-License-Identifier: Apache-2.0 */
/* jansson helpers: the one JSON library of the codebase. */
#ifndef CPOD_UTIL_JSON_H
#define CPOD_UTIL_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include <cpod/error.h>
#include "util/cleanup.h"

/* jansson >= 2.9 provides json_decrefp() for the cleanup attribute. */
#define _cleanup_json_ _cleanup_(json_decrefp)

/* Borrowed string member or NULL when absent or not a string. */
const char *json_get_str(const json_t *obj, const char *key);
/* Integer member or def when absent or not an integer. */
json_int_t json_get_int(const json_t *obj, const char *key, json_int_t def);
bool json_get_bool(const json_t *obj, const char *key, bool def);
/* Follow a dotted path of object keys ("State.Status"); borrowed or NULL. */
json_t *json_path(json_t *obj, const char *dotted);

/* Parse a buffer; on error err names `what` with line and column. */
json_t *json_parse_buf(const char *buf, size_t len, const char *what, cpod_error_t *err);
json_t *json_parse_file(const char *path, cpod_error_t *err);
/*
 * Serialise like Go's json.MarshalIndent(v, "", "    ") as podman prints:
 * 4-space indent, keys in insertion order, no escaping of '/'.  Caller frees.
 */
char *json_dump_pretty(const json_t *j);
char *json_dump_compact(const json_t *j);
/* A JSON string of s cut to at most max bytes (IDs shown short); s may be shorter, or NULL (""). */
json_t *json_string_cut(const char *s, size_t max);
/* A JSON string from s, which is freed (takes ownership; NULL gives ""). */
json_t *json_string_take(char *s);
/* Array of strings from a NULL-terminated vector (or n entries when n >= 0). */
json_t *json_strv(char *const *v, int n);
/* NULL-terminated vector of strdup'd strings from a JSON array of strings (non-strings skipped). */
char **json_to_strv(const json_t *arr);
/* Write atomically: temp file in the same dir, fsync, rename. */
int json_write_file_atomic(const char *path, const json_t *j, int flags, cpod_error_t *err);
/* The same without fsync, for volatile files in the runroot. */
int json_write_file_replace(const char *path, const json_t *j, int flags, cpod_error_t *err);

#endif
