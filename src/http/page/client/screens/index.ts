import type { Screen } from '../screen.ts';
import { accountsScreen } from './accounts.ts';
import { batchesScreen } from './batches.ts';
import { booksScreen } from './books.ts';
import { dashboardScreen } from './dashboard.ts';
import { linkCustomersScreen } from './link-customers.ts';
import { ordersScreen } from './orders.ts';
import { settingsScreen } from './settings.ts';
import { usersScreen } from './users.ts';

/**
 * The page's screens, in navigation order; the first one the user may see is the start screen.
 * A screen shows for every role its `needs` route allows (from /api/openapi.json), so a new
 * screen is one file and one line here, e.g. `accountsScreen` needing GET /api/accounts.
 */
export const SCREENS: Screen[] = [
  dashboardScreen,
  ordersScreen,
  linkCustomersScreen,
  accountsScreen,
  batchesScreen,
  booksScreen,
  settingsScreen,
  usersScreen,
];
