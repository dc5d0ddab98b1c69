/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CPOD_IMAGE_COPY_H
#define CPOD_IMAGE_COPY_H

#include <cpod/error.h>
#include "image/source.h"
#include "storage/store.h"

/* Copy the planned image from src into the store; ret_id gets the image ID. */
int copy_to_store(struct store *s, struct image_source *src, struct image_plan *p, char ret_id[65], cpod_error_t *err);

#endif
