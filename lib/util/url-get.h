/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CPOD_UTIL_URL_GET_H
#define CPOD_UTIL_URL_GET_H

#include <stddef.h>

#include <cpod/error.h>

/*
 * GET an http(s) URL (up to 10 redirects, no other protocol) into on_data(buf, size, n, ud), as
 * libcurl's write callback (returning less than size * n stops the transfer).  0 when the
 * transfer ended, with the HTTP status in *ret_status; < 0 with "<what> \"URL\": <curl's reason>"
 * in err when it did not (the callback's stop included: the caller knows why it stopped).
 */
int url_get(const char *url, size_t (*on_data)(char *buf, size_t size, size_t n, void *ud), void *ud, const char *what,
            long *ret_status, cpod_error_t *err);

#endif
