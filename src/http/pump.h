/* pump.h - moves committed events from the store's writer thread to the SSE hub.
 *
 * The store calls its sink on the writer thread, after each commit; turning events into JSON
 * text there would slow every commit (the alarm path). The pump only queues a reference there;
 * its own thread serialises the events, in order, and publishes them to the hub. */
#ifndef VIGIL_PUMP_H
#define VIGIL_PUMP_H

#include "core/hub.h"

#include <jansson.h>

struct event_pump;

struct event_pump *event_pump_new(struct hub *hub);
/* A store_event_fn: queues (type, data or json) (takes its own reference or copy).
 * Thread-safe, never blocks on the hub. Ready JSON text is published as it is. */
void event_pump_sink(void *pump, const char *type, json_t *data, const char *json);
/* Publishes what is queued, stops the thread, frees. NULL-safe. */
void event_pump_free(struct event_pump *p);

#endif
