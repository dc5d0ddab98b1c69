/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CPOD_CLI_INFO_FIELDS_H
#define CPOD_CLI_INFO_FIELDS_H

#include <jansson.h>

/* A copy of j with keys renamed to podman's Go field names (new reference). */
json_t *info_go_fields(json_t *j);

#endif
