// Page registry: order = navigation order. `perm` is the permission the page
// needs (docs/api.md); entries the user may not open are not shown.

import overview from './overview.js';
import areas from './areas.js';
import contacts from './contacts.js';
import residents from './residents.js';
import users from './users.js';
import audit from './audit.js';

export const PAGES = [
  { id: 'overview', perm: 'site.read', icon: 'overview', section: 'monitor', render: overview },
  { id: 'areas', perm: 'site.read', icon: 'areas', section: 'monitor', render: areas },
  { id: 'contacts', perm: 'site.read', icon: 'contacts', section: 'monitor', render: contacts },
  { id: 'residents', perm: 'resident.read', icon: 'residents', section: 'records', render: residents },
  { id: 'users', perm: 'user.read', icon: 'users', section: 'system', render: users },
  { id: 'audit', perm: 'audit.read', icon: 'audit', section: 'system', render: audit },
];
