/* SPDX-License-Identifier: Apache-2.0 */
#include "util/dlshim.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

void *dlshim_sym(struct dlshim *s, const char *name)
{
        void *p;

        pthread_mutex_lock(&s->lock);
        if (!s->handle && !(s->handle = dlopen(s->soname, RTLD_NOW | RTLD_LOCAL))) {
                fprintf(stderr, "Error: cannot load %s (%s): %s\n", s->soname, s->purpose, dlerror());
                abort();
        }
        pthread_mutex_unlock(&s->lock);
        if (!(p = dlsym(s->handle, name))) {
                fprintf(stderr, "Error: %s lacks %s\n", s->soname, name);
                abort();
        }
        return p;
}
