/* equipment.c - the daemon's hooks into equipment care. */
#include "app/equipment.h"

#include "app/ticket.h"

int app_equipment_start(struct app *a)
{
    app_ticket_configure(a->conf);
    return 0;
}

int app_equipment_tick(struct app *a)
{
    return app_ticket_escalate(a);
}
