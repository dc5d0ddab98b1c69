/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kube play URL: the YAML over http(s), into memory, bounded as a file is
 * (CPOD_KUBE_MAX_SIZE): a server that sends more is cut off, not buffered.
 */
#include <curl/curl.h>
#include <errno.h>
#include <string.h>

#include <cpod/kube.h>

#include "util/shims.h"
#include "util/strbuf.h"

struct body {
        struct strbuf sb;
        bool too_big;
};

static size_t on_data(char *buf, size_t size, size_t n, void *ud)
{
        struct body *b = ud;

        if (b->sb.len + size * n > CPOD_KUBE_MAX_SIZE) {
                b->too_big = true;
                return 0;
        }
        strbuf_add(&b->sb, buf, size * n);
        return size * n;
}

int cpod_kube_fetch(const char *url, char **ret, size_t *ret_len, cpod_error_t *err)
{
        struct body b = { .sb = STRBUF_INIT };
        long status = 0;
        CURLcode rc;
        CURL *c;

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
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        rc = curl_easy_perform(c);
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_cleanup(c);
        if (b.too_big || rc != CURLE_OK || status >= 400) {
                strbuf_release(&b.sb);
                if (b.too_big)
                        return cpod_error_set(err, EFBIG, CPOD_E_INVALID, "%s: larger than %d bytes", url,
                                              CPOD_KUBE_MAX_SIZE);
                if (rc != CURLE_OK)
                        return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "Get \"%s\": %s", url, curl_easy_strerror(rc));
                return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "Get \"%s\": HTTP status %ld", url, status);
        }
        *ret = strbuf_detach(&b.sb, ret_len);
        return 0;
}
