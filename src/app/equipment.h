/* equipment.h - equipment care: the daemon's hooks into fault tickets (ticket.h) and the
 * periodic check sheets. */
#ifndef VIGIL_EQUIPMENT_H
#define VIGIL_EQUIPMENT_H

#include "app/app.h"

/* At start, after app_init: applies the configuration (ticket due times). Returns 0 or a
 * negative errno (the daemon does not start). */
int app_equipment_start(struct app *a);
/* Every few seconds: escalates overdue tickets. Returns how many escalations were raised (so
 * the caller wakes the webhook worker), or a negative error. */
int app_equipment_tick(struct app *a);

#endif
