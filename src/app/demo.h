/* demo.h - the demo community (fictitious data) and first-time site creation. */
#ifndef VIGIL_DEMO_H
#define VIGIL_DEMO_H

#include "app/app.h"

#define DEMO_PASSWORD "vigil-demo"

/* Seeds the demo community once: site, buildings, floors, garage, lobbies, elevators, gates,
 * control room, devices, residents, contacts, and one account per role named after the role
 * with password DEMO_PASSWORD. Does nothing (returns 1) when a site already exists. */
int app_demo_seed(struct app *a);

/* Creates the site (if none) named name. Returns 0, 1 when it already existed, or an error. */
int app_site_init(struct app *a, const struct actor *who, const char *name);

#endif
