/* SPDX-License-Identifier: Apache-2.0 */
/* Shared state of the Go fmt emulation (gofmt.c, gofmt-num.c). */
#ifndef CPOD_UTIL_GOFMT_PRIVATE_H
#define CPOD_UTIL_GOFMT_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "format/gofmt.h"

/* Go limits widths and precisions to 1e6 ("%!(BADWIDTH)" past it). */
#define GOFMT_MAX_NUM 1000000

struct gf {
        struct strbuf *out;
        size_t limit;
        bool overflow;
        /* flags of the verb being printed, as Go's fmt.fmtFlags */
        bool minus, plus, sharp, space, zero, plus_v, sharp_v;
        bool wid_present, prec_present;
        int wid, prec;
};

void gf_clear_flags(struct gf *g);
void gf_write(struct gf *g, const char *s, size_t n);
void gf_writes(struct gf *g, const char *s);
/* n padding characters: '0' when the zero flag is set, else ' ' */
void gf_padding(struct gf *g, long n);
/* Go's fmt.pad: s padded to the width (counted in runes) on the side the minus flag says. */
void gf_pad(struct gf *g, const char *s, size_t n);

/* Go's fmt.fmtInteger: magnitude u, base 2/8/10/16, upper for %X; verb matters for %O. */
void gf_integer(struct gf *g, uint64_t u, bool negative, int base, bool upper, uint32_t verb);
/* Go's fmt.fmtFloat: verb one of b e E f F g G x X (v maps to g), prec -1 for the default. */
void gf_float(struct gf *g, double v, uint32_t verb, int prec);
/* Go's printArg: one operand under verb with the current flags. */
void gf_print_arg(struct gf *g, const json_t *v, uint32_t verb);
/* Quote like strconv.Quote / QuoteToASCII (ascii) with the given quote character. */
void gf_quote(struct strbuf *sb, const char *s, size_t n, char quote, bool ascii);

#endif
