/* webhook.h - delivers escalations to a configured URL as JSON POSTs (libcurl), from the
 * store's escalation queue, so deliveries survive restarts and failures are retried with
 * back-off until they succeed. One worker thread. */
#ifndef VIGIL_WEBHOOK_H
#define VIGIL_WEBHOOK_H

#include "app/app.h"

struct webhook;

/* Starts the worker for url (must be http:// or https://). Returns 0 or -EINVAL/-EAGAIN. */
int webhook_start(struct webhook **out, struct app *a, const char *url, long timeout_s);
/* Wakes the worker to look at the queue now (after new escalations). Thread-safe. */
void webhook_kick(struct webhook *w);
/* Stops the worker (an in-flight POST finishes or times out) and frees. NULL-safe. */
void webhook_stop(struct webhook *w);

#endif
