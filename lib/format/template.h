/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A subset of Go's text/template evaluated over jansson values: what
 * `--format '{{.ID}} {{join .Names ","}}'` runs on.
 *
 * Syntax: text; {{pipeline}} with fields (.A.B, $x.A, (pipeline).A), $,
 * variables ($x := p, $x = p), functions and "|" pipes, parenthesised
 * pipelines, string ("", ``), char (''), number and bool literals, nil;
 * {{- and -}} trim markers; comments (a C-style comment alone in {{ }});
 * {{if}}/{{else if}}/{{else}},
 * {{range}} (one or two variables, {{else}}, {{break}}, {{continue}}),
 * {{with}}/{{else with}}, {{end}}.  No define/template/block.
 *
 * Functions: Go's and, or, not, len, index, print, printf, println, eq, ne,
 * lt, le, gt, ge; podman's json, join, split, lower, upper, title, truncate,
 * pad; and contains, hasPrefix, hasSuffix.  Values print as Go's fmt %v
 * prints the Go value a JSON decoder would give (see format/gofmt.h), except
 * that a null result of an action prints "<no value>".
 *
 * Choices where JSON has less type information than podman's Go structs:
 *  - .Field on an object without that key is an error ("can't evaluate
 *    field Field") when the object looks like a Go struct (every key starts
 *    with an upper-case ASCII letter, as exported field names do) and the
 *    name does too; otherwise it is null, as a missing map key is in Go
 *    ({{.Config.Labels.foo}} prints "<no value>").  CPOD_TMPL_LAX_FIELDS
 *    makes every missing key null.
 *  - .Field on null is null (Go: a nil map), so {{.A.B}} with A null is
 *    "<no value>".
 *  - index of a missing key gives "" when the object has only string values
 *    (or is empty or null), as for podman's map[string]string labels, else
 *    null; index of null by an integer is "index out of range".
 *  - eq/ne/lt/... compare integers with reals numerically (Go would refuse
 *    int against float64); null equals only null.
 *  - truncate cuts at a rune boundary, never inside a UTF-8 sequence.
 *  - range iterates arrays, and objects in sorted key order as Go does maps.
 *
 * Errors are one line: "template: LINE:COL: message" for syntax errors and
 * "template: LINE:COL: executing at <.Foo>: message" at run time, with
 * 1-based columns counted in bytes.  Nesting is limited at parse time
 * (CPOD_TMPL_MAX_DEPTH), and an execution stops with an error past a step
 * budget or an output size limit, so no template can hang or exhaust memory.
 */
#ifndef CPOD_UTIL_TEMPLATE_H
#define CPOD_UTIL_TEMPLATE_H

#include <jansson.h>
#include <stdint.h>

#include <cpod/error.h>
#include "util/strbuf.h"

#define CPOD_TMPL_MAX_DEPTH 100                  /* nesting of blocks and parentheses */
#define CPOD_TMPL_MAX_OUTPUT ((size_t)64 << 20)  /* default output limit, bytes */
#define CPOD_TMPL_MAX_STEPS ((uint64_t)50000000) /* default budget: actions, iterations, bytes/64 */

struct cpod_tmpl;

enum cpod_tmpl_flags {
        CPOD_TMPL_LAX_FIELDS = 1 << 0, /* a missing key is always null, never an error (header rows) */
};

/* Parse src (NUL-terminated).  NULL with err (CPOD_E_INVALID) on a syntax error. */
struct cpod_tmpl *cpod_tmpl_parse(const char *src, cpod_error_t *err);
/* Same for a buffer of len bytes, which may hold NUL bytes. */
struct cpod_tmpl *cpod_tmpl_parse_buf(const char *src, size_t len, cpod_error_t *err);

/* Execute over data (borrowed), appending to out.  0, or < 0 with err (CPOD_E_INVALID). */
int cpod_tmpl_exec(const struct cpod_tmpl *t, json_t *data, struct strbuf *out, cpod_error_t *err);
int cpod_tmpl_exec_flags(const struct cpod_tmpl *t, json_t *data, unsigned flags, struct strbuf *out,
                         cpod_error_t *err);

/* Lower the limits of later executions (0 keeps a limit), e.g. for fuzzing. */
void cpod_tmpl_set_limits(struct cpod_tmpl *t, size_t max_output, uint64_t max_steps);

/* Accepts NULL. */
void cpod_tmpl_free(struct cpod_tmpl *t);

#endif
