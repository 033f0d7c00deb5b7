/* thread.c - thread names (see thread.h). prctl rather than pthread_setname_np: the latter
 * needs _GNU_SOURCE, and a thread only ever names itself here. */
#include "core/thread.h"

#include <stdio.h>
#include <sys/prctl.h>

void thread_name_set(const char *name)
{
    char n[16];
    snprintf(n, sizeof n, "%s", name);
    prctl(PR_SET_NAME, n, 0, 0, 0);
}
