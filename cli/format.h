/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one renderer of listings and inspect output: podman's --format
 * semantics over JSON rows.  Templates are format/template.h (Go
 * text/template subset), tables go through format/tabwriter.h, JSON is
 * written as Go's json.MarshalIndent writes it (format/json-go.h).
 */
#ifndef CPOD_CLI_FORMAT_H
#define CPOD_CLI_FORMAT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include <cpod/error.h>

/* Column header of a field; NULL header: derived from the field name.  Tables end with { NULL, NULL }. */
struct fmt_header {
        const char *field;
        const char *header;
};

/*
 * Print a listing.
 *  - format NULL or "": default_fmt (usually "table ...");
 *  - "json" (or "{{json .}}", "{{ json }}"): json_value (rows when NULL) as pretty JSON, "[]" when empty;
 *  - "table" alone: default_fmt as a table;
 *  - "table FMT": a header row, then one row per element, aligned (cpod_tabwrite).  As podman, every
 *    space in FMT becomes a tab, so "table {{.ID}} {{.Names}}" gives two columns;
 *  - anything else: FMT once per row, not aligned; a FMT with {{range .}}...{{end}} runs once over
 *    the whole array instead.
 * In FMT the two characters \t mean a tab and \n a newline, and a newline is added when FMT does
 * not end with one (podman's NormalizeFormat).  The header row executes FMT over an object mapping
 * each field to its header: for fields in headers, the given header (or the derived one when NULL);
 * for the other keys of the first row, the key upper-cased with CamelCase split into words
 * ("CreatedAt" → "CREATED AT"); unknown fields print "<no value>", as podman's do.
 * rows: array of objects (borrowed); json_value: what --format json prints (borrowed, may be rows).
 * Nothing is printed when the template fails: returns < 0 with err set.
 */
int cli_print_list(FILE *out, const char *format, const char *default_fmt, const struct fmt_header *headers,
                   json_t *rows, json_t *json_value, cpod_error_t *err);

/* For inspect: format NULL, "" or json → objs (an array) as pretty JSON; else the template per object. */
int cli_print_inspect(FILE *out, const char *format, json_t *objs, cpod_error_t *err);

/* Helpers, exposed for tests. */
/* "CreatedAt" → "CREATED AT", "ID" → "ID", "HTTPServer" → "HTTP SERVER" (podman's camelcase.Split). Caller frees. */
char *fmt_header_from_field(const char *field);
/* Whether a format asks for JSON: "json", "{{json .}}", "{{ json }}" (surrounding space allowed). */
bool fmt_is_json(const char *format);

#endif
