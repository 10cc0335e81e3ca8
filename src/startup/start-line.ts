import type { Config } from '../config.js';
import { demoPassword, demoRestaurants } from '../demo/demo-restaurants.js';

/**
 * The one line that tells a newcomer what is running and how to use it. Production gets only the
 * address; elsewhere the explorer, the demo accounts and how to sign in.
 */
export function startLine(config: Config, port: number): string {
  const host = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(config.http.host) ? 'localhost' : config.http.host;
  const api = `http://${host.includes(':') ? `[${host}]` : host}:${port}/graphql`;
  if (config.isProduction) return `Servio API listening on ${api}`;
  const accounts = ['admin@servio.test', ...demoRestaurants.map((restaurant) => `owner@${restaurant.slug}.test`)].join(', ');
  return (
    `Servio API ready: ${api} (open it in a browser for the explorer) · demo accounts ${accounts} (also manager@/staff@), ` +
    `password "${demoPassword}" · sign in with mutation { login(email: "...", password: "...") { accessToken } }, ` +
    'then send the header Authorization: Bearer <accessToken>'
  );
}
