/* SPDX-License-Identifier: Apache-2.0 */
#include "util/url-get.h"

#include <curl/curl.h>
#include <errno.h>

#include "util/shims.h"

int url_get(const char *url, size_t (*on_data)(char *buf, size_t size, size_t n, void *ud), void *ud, const char *what,
            long *ret_status, cpod_error_t *err)
{
        CURLcode rc;
        CURL *c;

        *ret_status = 0;
        if (curl_shim_open(err) < 0)
                return cpod_error_rc(err, -ELIBACC);
        if (!(c = curl_easy_init()))
                return cpod_error_set(err, ENOMEM, CPOD_E_INTERNAL, "curl_easy_init failed");
        curl_easy_setopt(c, CURLOPT_URL, url);
        curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, ud);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        rc = curl_easy_perform(c);
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, ret_status);
        curl_easy_cleanup(c);
        if (rc != CURLE_OK)
                return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "%s \"%s\": %s", what, url, curl_easy_strerror(rc));
        return 0;
}
