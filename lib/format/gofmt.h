/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Go's fmt package over JSON values, as podman's templates print them.
 *
 * JSON values stand for the Go values a decoder would produce: integers are
 * Go int, reals float64, strings string, true/false bool, null nil, arrays
 * []interface{} and objects map[string]interface{} (printed with sorted
 * keys, as fmt does for maps).  So %v of [1,"a",null] is "[1 a <nil>]",
 * %s of 5 is "%!s(int=5)", and reals print in Go's shortest form ("1e+06").
 *
 * Every function appends to out and stops adding once out->len would pass
 * limit (a guard against "%1000000v" over a long list); it then returns -1.
 */
#ifndef CPOD_UTIL_GOFMT_H
#define CPOD_UTIL_GOFMT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

/* The Go type the value stands for, as %T prints it: "string", "int", "float64", ..., "<nil>" for null. */
const char *gofmt_type_name(const json_t *v);
/* fmt.Sprint(v): one operand as %v. */
int gofmt_value(struct strbuf *out, const json_t *v, size_t limit);
/* fmt.Sprint / fmt.Sprintln over n operands (Sprint puts a space only between two non-strings). */
int gofmt_sprint(struct strbuf *out, json_t *const *args, size_t n, bool ln, size_t limit);
/* fmt.Sprintf with a format of fmtlen bytes (it may hold NUL bytes). */
int gofmt_sprintf(struct strbuf *out, const char *fmt, size_t fmtlen, json_t *const *args, size_t n, size_t limit);

/*
 * Shortest decimal digits that read back as v (v finite, sign ignored): digits[0..ret) with no dot,
 * *ret_dp the position of the decimal point (value = 0.DIGITS * 10^dp).  0 gives no digits, dp 0.
 */
int gofmt_shortest(double v, char digits[32], int *ret_dp);
/* strconv.FormatFloat(v, 'e' or 'f' or 'g', -1, 64): the shortest forms. */
void gofmt_float_shortest(struct strbuf *out, double v, char fmt);

#endif
