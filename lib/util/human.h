/* SPDX-License-Identifier: Apache-2.0 */
/* Human-readable sizes, durations and timestamps, as podman (go-units, Go's time) prints them. */
#ifndef CPOD_UTIL_HUMAN_H
#define CPOD_UTIL_HUMAN_H

#include <stdint.h>
#include <time.h>

/* go-units HumanSizeWithPrecision(size, 3): "1.46 MB", "512 B" (decimal units).  Caller frees. */
char *human_size(double size);
char *human_size_prec(double size, int prec);
/* go-units HumanDuration: "Less than a second", "About a minute", "3 days", ...  Caller frees. */
char *human_duration(int64_t seconds);
/* "<human_duration(now - t)> ago". Caller frees. */
char *human_since(int64_t t);
/* RFC 3339 with nanoseconds, UTC or local offset as Go prints it: "2024-01-01T10:00:00.123456789Z". */
char *time_rfc3339nano(int64_t sec, long nsec, int utc);
/* conmon's log timestamps: 9 fraction digits and a numeric offset, "2024-01-01T10:00:00.000000001+00:00". */
char *time_rfc3339nano_fixed(int64_t sec, long nsec);
/* Go's time.Time.String(): "2024-01-01 10:00:00.123456789 +0000 UTC". Caller frees. */
char *time_go_string(int64_t sec, long nsec);
/* Parse RFC 3339 (with optional fraction and offset) into seconds + nanoseconds; 0 or -1. */
int time_parse_rfc3339(const char *s, int64_t *ret_sec, long *ret_nsec);
/* Parse "1g", "512m", "100k", "1024" (binary units) into bytes; -1 on bad input. */
int parse_size(const char *s, int64_t *ret);
/* go-units FromHumanSize: "10mb", "10 MB", "1.5k", "10MiB" with decimal units (k = 1000); -1 on bad input. */
int parse_size_decimal(const char *s, int64_t *ret);
/* go-units HumanSize: "%.4g" and the decimal unit without a space ("10MB", "0B").  Caller frees. */
char *human_size_compact(double size);
/* go-units BytesSize: "%.4g" and the binary unit without a space ("10MiB", "0B").  Caller frees. */
char *human_bytes_compact(double size);
/* Go's time.Duration.String(): "0s", "1.5µs", "2.345ms", "1m3.5s", "2h0m0s".  Caller frees. */
char *go_duration_string(int64_t ns);
/*
 * A filter's point in time (podman's until=/since=): an RFC 3339 timestamp, unix seconds, or a Go
 * duration ("24h", "90m") back from now_sec.  0, or -1 on bad input.
 */
int parse_until(const char *s, int64_t now_sec, int64_t *ret_sec);
/* Go's time.ParseDuration ("1h30m", "1.5s", "-2m", "0") into nanoseconds; 0, or -1 on bad input. */
int parse_duration_ns(const char *s, int64_t *ret_ns);
/* Current time in nanoseconds since the epoch. */
int64_t now_ns(void);

#endif
