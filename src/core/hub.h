/* hub.h - in-process fan-out of committed events with a replay ring.
 *
 * Producers publish (type, JSON text); each gets the next id (1, 2, 3 …). Subscribers wait for
 * ids after the last one they saw; the ring keeps the newest `size` events so a reconnecting
 * client can resume with Last-Event-ID. Thread-safe. */
#ifndef VIGIL_HUB_H
#define VIGIL_HUB_H

#include <stddef.h>
#include <stdint.h>

struct hub;

struct hub *hub_new(size_t ring_size);
/* Wakes every waiter (hub_wait returns -ESHUTDOWN from then on) and frees nothing yet. */
void hub_shutdown(struct hub *h);
/* Frees the hub; no thread may be inside hub_* any more. NULL-safe. */
void hub_free(struct hub *h);

/* Publishes an event; type and json are copied. Returns its id. */
uint64_t hub_publish(struct hub *h, const char *type, const char *json);
/* The id of the newest event (0 when none). */
uint64_t hub_last_id(struct hub *h);

/* Waits up to timeout_ms for an event with id > after. On success copies the oldest such event
 * into OUT *id, *type (heap, caller frees) and *json (heap, caller frees) and returns 0.
 * Returns -ETIMEDOUT, -ESHUTDOWN, or -ERANGE when `after` has fallen out of the ring (then *id is
 * set to the oldest id still held, minus one, so the caller may resume from there). */
int hub_next(struct hub *h, uint64_t after, int timeout_ms, uint64_t *id, char **type, char **json);

/* Subscriber accounting for metrics. */
void hub_client_add(struct hub *h, int delta);
int hub_clients(struct hub *h);

#endif
