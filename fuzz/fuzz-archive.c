/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the local image readers (lib/image/fileset.c,
 * docker-archive.c, oci-layout.c, dir-transport.c, plan.c): an archive given
 * to load, or an OCI layout, is untrusted.  The input is the archive (a tar);
 * the first byte picks the reader.  Every image it offers is planned (its
 * manifest, config and layer list checked against their digests) and each
 * layer's blob opened and read a little, or the reader fails with a message.
 */
#include <sys/mman.h>

#include "fuzz/fuzz-helpers.h"
#include "image/fileset.h"
#include "image/transports.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void drain(struct image_source *src)
{
        for (int images = 0; images < 4; images++) {
                struct image_plan plan = { 0 };
                cpod_error_t err = CPOD_ERROR_INIT;
                int r = src->next(src, &plan, &err);
                if (r < 0 && !err.msg)
                        abort();
                cpod_error_clear(&err);
                for (size_t i = 0; r > 0 && i < plan.n_layers && i < 8; i++) {
                        struct blob b = { 0 };
                        char buf[512];
                        if (src->open_layer(src, &plan.layers[i], &b, &err) == 0) {
                                for (int k = 0; k < 4 && b.read(b.ud, buf, sizeof(buf)) > 0; k++)
                                        ;
                                blob_close(&b);
                        }
                        cpod_error_clear(&err);
                }
                image_plan_clear(&plan);
                if (r <= 0)
                        break;
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct image_source *src = NULL;
        struct fileset *fs;
        int fd, r;

        if (size < 1)
                return 0;
        fd = memfd_create("archive", MFD_CLOEXEC);
        if (fd < 0 || write_all(fd, data + 1, size - 1) < 0 || lseek(fd, 0, SEEK_SET) < 0)
                abort();
        if (fileset_open_tar(fd, "<fuzz>", &fs, &err) < 0) {
                if (!err.msg)
                        abort();
                cpod_error_clear(&err);
                return 0;
        }
        switch (data[0] % 3) {
        case 0:
                r = oci_source_new(fs, "oci-archive:<fuzz>", NULL, &src, &err);
                break;
        case 1:
                r = docker_archive_source_new(fs, "docker-archive:<fuzz>", NULL, &src, &err);
                break;
        default:
                r = dir_source_new(fs, "dir:<fuzz>", &src, &err);
                break;
        }
        if (r < 0) {
                if (!err.msg)
                        abort();
        } else {
                drain(src);
                image_source_free(src);
        }
        cpod_error_clear(&err);
        return 0;
}
