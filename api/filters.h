/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Docker's filters query parameter: a JSON object of key -> ["value", ...] (or the older
 * key -> {"value": true}), as the "KEY=VALUE" strings cpod's filters take.
 */
#ifndef CPOD_API_FILTERS_H
#define CPOD_API_FILTERS_H

#include "api/request.h"

/*
 * The filters parameter as a NULL-terminated vector (empty when absent); NULL with a 400 queued
 * in *ret when it is not one of Docker's shapes.
 */
char **api_filters(struct api_req *r, enum MHD_Result *ret);
/* The same as cpod's {"KEY": ["VALUE", ...]} object (empty when absent); NULL with a 400 queued. */
json_t *api_filters_json(struct api_req *r, enum MHD_Result *ret);

#endif
