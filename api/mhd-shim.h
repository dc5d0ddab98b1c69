/* SPDX-License-Identifier: Apache-2.0 */
/* libmicrohttpd is loaded on first use (api/mhd-shim.c): load it now, or say it is missing. */
#ifndef CPOD_API_MHD_SHIM_H
#define CPOD_API_MHD_SHIM_H

#include <cpod/error.h>

int mhd_shim_open(cpod_error_t *err);

#endif
