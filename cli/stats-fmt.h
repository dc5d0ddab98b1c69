/* SPDX-License-Identifier: Apache-2.0 */
/* How stats and pod stats print a sample's numbers, as podman's (go-units) do. */
#ifndef CPOD_CLI_STATS_FMT_H
#define CPOD_CLI_STATS_FMT_H

#include <stdbool.h>
#include <stdint.h>

/* "12.5MB / 1.02GB"; dashes: "-- / --" when both are 0 (pod stats).  Caller frees. */
char *stats_pair_human(uint64_t a, uint64_t b, bool dashes);
/* "12MiB / 1GiB", binary units.  Caller frees. */
char *stats_pair_bytes(uint64_t a, uint64_t b, bool dashes);
/* "1.25%"; dashes: "--" for 0 (pod stats).  Caller frees. */
char *stats_percent(double f, bool dashes);
/* Clear a terminal before the next sample (podman's goterm: nothing when stdout is not a terminal). */
void stats_clear_screen(void);

#endif
