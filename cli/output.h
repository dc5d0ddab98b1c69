/* SPDX-License-Identifier: Apache-2.0 */
/* Printing single report objects (version, info): JSON, YAML or a template. */
#ifndef CPOD_CLI_OUTPUT_H
#define CPOD_CLI_OUTPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include <cpod/error.h>

/* format "json" → pretty JSON; NULL/"" → YAML when yaml_default, else JSON; else a template over obj. */
int cli_print_object(FILE *out, const char *format, json_t *obj, bool yaml_default, cpod_error_t *err);
/* Pretty JSON like Go's json.MarshalIndent with 4 spaces, plus a newline. */
void cli_print_json(FILE *out, const json_t *j);

struct fmt_header;
/* cli_print_list with podman's --noheading: the header line of a table is left out. */
int cli_print_list_opts(FILE *out, const char *format, const char *default_fmt, const struct fmt_header *headers,
                        json_t *rows, json_t *json_value, bool noheading, cpod_error_t *err);

#endif
