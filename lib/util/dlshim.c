/* SPDX-License-Identifier: Apache-2.0 */
#include "util/dlshim.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>

static void *load(struct dlshim *s, char **ret_why)
{
        void *h;

        pthread_mutex_lock(&s->lock);
        if (!s->handle && !(s->handle = dlopen(s->soname, RTLD_NOW | RTLD_LOCAL)) && ret_why)
                *ret_why = dlerror();
        h = s->handle;
        pthread_mutex_unlock(&s->lock);
        return h;
}

int dlshim_open(struct dlshim *s, cpod_error_t *err)
{
        char *why = NULL;

        if (load(s, &why))
                return 0;
        return cpod_error_set(err, ELIBACC, CPOD_E_NOT_SUPPORTED, "cannot load %s (%s): %s", s->soname, s->purpose,
                              why ? why : "unknown error");
}

void *dlshim_sym(struct dlshim *s, const char *name)
{
        void *h = load(s, NULL);

        return h ? dlsym(h, name) : NULL;
}
