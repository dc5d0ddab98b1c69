/* SPDX-License-Identifier: Apache-2.0 */
/* Pull progress output, the short-name prompt, registry flags (see pull-progress.h). */
#include "cli/pull-progress.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/human.h"
#include "util/xalloc.h"

#define BAR_WIDTH 30
#define REDRAW_MS 100

struct bar {
        char digest[20];
        long long current, total;
        bool skipped, done;
};

static long long now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void pull_progress_init(struct pull_progress *p, bool quiet)
{
        memset(p, 0, sizeof(*p));
        p->out = stderr;
        p->quiet = quiet;
        p->tty = isatty(STDERR_FILENO);
        pthread_mutex_init(&p->lock, NULL);
}

void pull_progress_release(struct pull_progress *p)
{
        free(p->bars);
        pthread_mutex_destroy(&p->lock);
}

static void draw_bar(struct pull_progress *p, const struct bar *b)
{
        _cleanup_free_ char *cur = human_size((double)b->current), *tot = human_size((double)b->total);
        char fill[BAR_WIDTH + 1];
        int n = b->total > 0 ? (int)(BAR_WIDTH * (b->current > b->total ? b->total : b->current) / b->total) : 0;

        if (b->skipped) {
                fprintf(p->out, "\033[2KCopying blob %s skipped: already exists\n", b->digest);
                return;
        }
        if (b->done) {
                fprintf(p->out, "\033[2KCopying blob %s done\n", b->digest);
                return;
        }
        memset(fill, '=', (size_t)n);
        if (n < BAR_WIDTH)
                fill[n++] = '>';
        memset(fill + n, '-', (size_t)(BAR_WIDTH - n));
        fill[BAR_WIDTH] = '\0';
        fprintf(p->out, "\033[2KCopying blob %s [%s] %s / %s\n", b->digest, fill, cur, tot);
}

/* Caller holds the lock. */
static void redraw(struct pull_progress *p, bool force)
{
        long long t = now_ms();

        if (!force && t - p->last_draw < REDRAW_MS)
                return;
        p->last_draw = t;
        if (p->drawn)
                fprintf(p->out, "\033[%dA", p->drawn);
        for (size_t i = 0; i < p->n_bars; i++)
                draw_bar(p, &p->bars[i]);
        p->drawn = (int)p->n_bars;
        fflush(p->out);
}

static void short_digest(const char *d, char out[20])
{
        const char *hex = d && strchr(d, ':') ? strchr(d, ':') + 1 : d ? d : "";

        snprintf(out, 20, "%.12s", hex);
}

static void on_blob(struct pull_progress *p, const struct cpod_pull_event *ev)
{
        struct bar *b;

        if (!p->tty) {
                fprintf(p->out, "Copying blob %s\n", ev->text);
                return;
        }
        p->bars = xreallocarray(p->bars, p->n_bars + 1, sizeof(*p->bars));
        b = &p->bars[p->n_bars++];
        memset(b, 0, sizeof(*b));
        short_digest(ev->text, b->digest);
        b->total = ev->total;
        b->skipped = ev->skipped;
        redraw(p, true);
}

static void on_progress(struct pull_progress *p, const struct cpod_pull_event *ev)
{
        if (!p->tty || ev->index < 0 || (size_t)ev->index >= p->n_bars)
                return;
        p->bars[ev->index].current = ev->current;
        if (ev->total > 0)
                p->bars[ev->index].total = ev->total;
        if (ev->total > 0 && ev->current >= ev->total)
                p->bars[ev->index].done = true;
        redraw(p, false);
}

static void on_event(void *ud, const struct cpod_pull_event *ev)
{
        struct pull_progress *p = ud;

        if (p->quiet)
                return;
        pthread_mutex_lock(&p->lock);
        switch (ev->kind) {
        case CPOD_PULL_EV_RESOLVED:
                fprintf(p->out, "%s\n", ev->text);
                break;
        case CPOD_PULL_EV_TRYING:
                free(p->bars);
                p->bars = NULL;
                p->n_bars = 0;
                p->drawn = 0;
                fprintf(p->out, "Trying to pull %s...\n", ev->text);
                break;
        case CPOD_PULL_EV_SIGNATURES:
                fprintf(p->out, "Getting image source signatures\n");
                break;
        case CPOD_PULL_EV_SIGNATURES_CHECK:
                fprintf(p->out, "Checking if image destination supports signatures\n");
                break;
        case CPOD_PULL_EV_BLOB:
                on_blob(p, ev);
                break;
        case CPOD_PULL_EV_BLOB_PROGRESS:
                on_progress(p, ev);
                break;
        case CPOD_PULL_EV_CONFIG:
                if (p->tty) {
                        for (size_t i = 0; i < p->n_bars; i++)
                                p->bars[i].done = !p->bars[i].skipped;
                        redraw(p, true);
                }
                fprintf(p->out, "Copying config %s\n", ev->text);
                break;
        case CPOD_PULL_EV_MANIFEST:
                fprintf(p->out, "Writing manifest to image destination\n");
                break;
        case CPOD_PULL_EV_STORING:
                fprintf(p->out, "Storing signatures\n");
                break;
        case CPOD_PULL_EV_LIST_COPYING:
                fprintf(p->out, "Copying %d of %lld images in list\n", ev->index, (long long)ev->total);
                break;
        case CPOD_PULL_EV_LIST_IMAGE:
                free(p->bars);
                p->bars = NULL;
                p->n_bars = 0;
                p->drawn = 0;
                fprintf(p->out, "Copying image %s (%d/%lld)\n", ev->text, ev->index, (long long)ev->total);
                break;
        case CPOD_PULL_EV_LIST_MANIFEST:
                fprintf(p->out, "Writing manifest list to image destination\n");
                break;
        case CPOD_PULL_EV_SIGNING:
                fprintf(p->out, "Signing manifest using simple signing\n");
                break;
        case CPOD_PULL_EV_LIST_STORING:
                fprintf(p->out, "Storing list signatures\n");
                break;
        }
        fflush(p->out);
        pthread_mutex_unlock(&p->lock);
}

/* Ask which candidate to pull (enforcing short-name mode on a terminal). */
static int choose(void *ud, const char *name, char *const *candidates)
{
        char line[64];
        size_t n = 0;

        (void)ud;
        fprintf(stderr, "? Please select an image for \"%s\":\n", name);
        for (n = 0; candidates[n]; n++)
                fprintf(stderr, "  %zu) %s\n", n + 1, candidates[n]);
        fprintf(stderr, "Choice [1-%zu]: ", n);
        fflush(stderr);
        if (!fgets(line, sizeof(line), stdin))
                return -1;
        {
                long k = strtol(line, NULL, 10);
                return k >= 1 && (size_t)k <= n ? (int)(k - 1) : -1;
        }
}

void pull_progress_attach(struct pull_progress *p, struct cpod_pull_opts *o)
{
        o->event = on_event;
        o->event_ud = p;
        o->choose = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) ? choose : NULL;
}

/* Go's time.ParseDuration for the units podman users write: "500ms", "2s", "1m30s", "1.5h". */
static int parse_duration_ms(const char *s, int64_t *ret)
{
        static const struct {
                const char *unit;
                double ms;
        } units[] = { { "ns", 1e-6 }, { "us", 1e-3 }, { "µs", 1e-3 },  { "ms", 1 },
                      { "s", 1000 },  { "m", 60000 }, { "h", 3600000 } };
        double total = 0;

        if (!*s)
                return -EINVAL;
        if (strcmp(s, "0") == 0) {
                *ret = 0;
                return 0;
        }
        while (*s) {
                char *end;
                double v = strtod(s, &end);
                size_t best = 0, best_len = 0;
                if (end == s || v < 0)
                        return -EINVAL;
                for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
                        size_t l = strlen(units[i].unit);
                        if (strncmp(end, units[i].unit, l) == 0 && l > best_len) {
                                best = i;
                                best_len = l;
                        }
                }
                if (!best_len)
                        return -EINVAL;
                total += v * units[best].ms;
                s = end + best_len;
        }
        *ret = (int64_t)total;
        return 0;
}

int registry_flags_apply(struct cli_ctx *ctx, const struct registry_flags *f, struct cpod_registry_opts *o)
{
        o->authfile = f->authfile && *f->authfile ? f->authfile : NULL;
        o->creds = f->creds && *f->creds ? f->creds : NULL;
        o->cert_dir = f->cert_dir && *f->cert_dir ? f->cert_dir : NULL;
        o->tls_verify = cli_changed(ctx, "tls-verify") ? (f->tls_verify ? 1 : 0) : -1;
        o->retry = cli_changed(ctx, "retry") ? (int)f->retry : -1;
        o->retry_delay_ms = -1;
        if (f->retry_delay && *f->retry_delay && parse_duration_ms(f->retry_delay, &o->retry_delay_ms) < 0)
                return cli_errorf("time: invalid duration \"%s\"", f->retry_delay);
        if (o->authfile && access(o->authfile, F_OK) < 0 && errno == ENOENT && cli_changed(ctx, "authfile") &&
            strcmp(ctx->cmd->name, "login") != 0 && strcmp(ctx->cmd->name, "logout") != 0)
                return cli_errorf("credential file is not accessible: stat %s: no such file or directory", o->authfile);
        return 0;
}
