import type { FastifyInstance } from 'fastify';

/**
 * `GET /health/ready`, … for every route the server registered, read from Fastify's own route tree
 * (`printRoutes({ commonPrefix: false })`, one node per line, four columns per level). HEAD, which
 * Fastify adds for every GET, is left out.
 */
export function routesOf(app: FastifyInstance): Set<string> {
  const routes = new Set<string>();
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const node = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!node) continue;
    const depth = (node[1] as string).length / 4;
    const segment = node[2] as string;
    stack.length = depth;
    const path = `${stack.join('')}${segment.startsWith('/') ? '' : '/'}${segment}`;
    stack.push(path.slice(stack.join('').length));
    for (const method of (node[3] ?? '').split(',').map((name) => name.trim())) {
      if (method && method !== 'HEAD') routes.add(`${method} ${path}`);
    }
  }
  return routes;
}
