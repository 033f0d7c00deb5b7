/* webhook_rx.h - a webhook receiver for the integration tests: one thread on 127.0.0.1 that
 * takes one HTTP request per connection (head plus Content-Length body), records it and
 * answers 200, or 500 to deliveries about the incident the test names. The daemon's
 * escalation.webhook_url points at http://127.0.0.1:PORT/… .
 *
 * One receiver per test process. No cmocka here: the functions return errors. */
#ifndef VIGIL_TEST_WEBHOOK_RX_H
#define VIGIL_TEST_WEBHOOK_RX_H

#include <jansson.h>

/* Starts listening on 127.0.0.1:port (0: any free port; a port used before may be given
 * again after wrx_stop). Returns 0 or a negative errno. */
int wrx_start(int port);
/* The port it listens (or last listened) on. */
int wrx_port(void);
/* Stops listening: connections are refused until wrx_start. Recorded requests are kept. */
void wrx_stop(void);
/* Deliveries whose JSON body has this "incident_id" are answered 500 (0: none). */
void wrx_fail(long long incident_id);
/* How many deliveries about incident_id were answered with status (0: any status). */
int wrx_count(long long incident_id, int status);
/* The body of the last delivery about incident_id answered 200, parsed (caller decrefs), or
 * NULL. */
json_t *wrx_body(long long incident_id);
/* Stops it and forgets every recorded request. */
void wrx_cleanup(void);

#endif
