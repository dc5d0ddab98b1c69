/* SPDX-License-Identifier: Apache-2.0 */
/* The network flags of run, create and pod create (net-params.c). */
#ifndef CPOD_CLI_NET_PARAMS_H
#define CPOD_CLI_NET_PARAMS_H

#include <stdbool.h>

#include <jansson.h>

#include "cli/cli.h"

struct cli_netsel {
        struct strv network, network_alias, publish, expose;
        const char *ip, *ip6, *mac_address;
        bool publish_all;
};

/* NetworkMode, Networks, PortMappings, PublishAll, Expose into p; prints errors, returns an exit code or 0. */
int cli_network_params(const struct cli_netsel *n, json_t *p);
/* One -p value appended to out as port mappings; prints errors, returns an exit code or 0. */
int cli_parse_publish(const char *spec, json_t *out);

#endif
