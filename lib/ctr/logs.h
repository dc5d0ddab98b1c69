/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Container logs in the k8s-file format that conmon writes (`conmon -l k8s-file:PATH`).
 *
 * One record per line:
 *
 *     <RFC 3339 timestamp> <stdout|stderr> <F|P> <text>\n
 *
 * conmon 2.1.6 prints the timestamp as "2026-11-23T03:53:39.020698315+00:00": always nine
 * fraction digits and a numeric local offset (never "Z").  It writes a record per read() from
 * the container's pipe, at most 8192 bytes of text: P marks a piece of a line that did not end
 * yet (a long line, or output without a trailing newline so far), F the piece that ends it.
 * stdout and stderr records interleave, so a stdout P group may be interrupted by stderr
 * records; pieces are joined per stream.  Text is raw bytes (a "\r" before the newline is
 * kept).  The reader accepts any RFC 3339 timestamp (fewer digits, "Z") as podman does.
 */
#ifndef CPOD_CTR_LOGS_H
#define CPOD_CTR_LOGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cpod/error.h>

struct log_line {
        int64_t ts_ns;   /* unix nanoseconds of the record that ended the line (as podman uses) */
        char stream;     /* 'o' stdout, 'e' stderr */
        const char *msg; /* the full logical line, P pieces joined; no trailing newline; borrowed for the callback */
        size_t len;
        bool newline; /* the logical line ended with a newline (final record was F) */
};

struct log_read_opts {
        int64_t since_ns; /* 0 = no bound: lines with ts < since are skipped */
        int64_t until_ns; /* 0 = no bound: lines with ts > until are skipped; following stops once now > until */
        long tail;        /* -1 = all, else only the N logical lines that ended last (before following and filtering) */
        bool follow;      /* keep reading as the file grows until still_running() says false and EOF is reached */
        bool (*still_running)(void *ud); /* NULL: follow until the callback stops it */
        void *ud;
};

/* clang-format off */
#define LOG_READ_OPTS_INIT { .since_ns = 0, .until_ns = 0, .tail = -1, .follow = false }
/* clang-format on */

/*
 * Call cb for each logical line in order (the order in which lines were completed); cb returns < 0
 * to stop (e.g. stdout closed), and k8s_log_read then returns 0.  A missing file is not an error
 * when follow is false (no lines); when following, it is waited for while still_running().  A
 * corrupt record is skipped with a debug log, never a crash.  A P group without its F record at
 * the end (the container stopped mid-line) is delivered with newline false; so are the pieces of
 * a single line beyond 8 MiB, which is where joining stops to bound memory.  --tail counts such an
 * unfinished line where its last piece is, so tail N is the last N lines of a full read except
 * when an unfinished line is followed by lines of the other stream.  It reads the file backwards
 * in 64 KiB blocks, parsing only record heads, until it has N lines.
 *
 * Following uses inotify on the file and its directory (a 250 ms poll timeout re-checks
 * still_running(), which is only called when the file has been quiet).  A replaced file (conmon's
 * rotation renames a new file over the path) is reopened from its start, a truncated one re-read.
 */
int k8s_log_read(const char *path, const struct log_read_opts *o, int (*cb)(void *ud, const struct log_line *l),
                 void *ud, cpod_error_t *err);

/*
 * Parse podman's --since/--until values (podman's util.ParseInputTime): RFC 3339 with or without
 * fraction and offset ("2006-01-02T15:04:05", no offset meaning UTC as in Go's time.Parse), a
 * date "2006-01-02" or "2006-01-02Z07:00" (midnight), a Unix timestamp (seconds, may have a
 * fraction), or a Go duration ("10m", "1h30m", "5s", "2h45m30.5s", "-1.5h", "300ms").
 *
 * log_parse_time() takes a duration as that long before now (--since); log_parse_until() as that
 * long after now, which is what podman does for --until.  The error says "unable to interpret
 * time value" (kind CPOD_E_INVALID).
 */
int log_parse_time(const char *s, int64_t now_ns, int64_t *ret_ns, cpod_error_t *err);
int log_parse_until(const char *s, int64_t now_ns, int64_t *ret_ns, cpod_error_t *err);

#endif
