/* thread.h - names for the daemon's own threads, as top -H, ps -L, perf and /proc show them
 * (and as bench/run.sh reports CPU per thread). */
#ifndef VIGIL_THREAD_H
#define VIGIL_THREAD_H

/* Names the calling thread; name is cut to 15 bytes (the kernel's limit). Best effort. */
void thread_name_set(const char *name);

#endif
