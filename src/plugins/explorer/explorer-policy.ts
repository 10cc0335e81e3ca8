import type { FastifyInstance } from 'fastify';

/**
 * The explorer page's content security policy: its own inline scripts and styles, Monaco's
 * workers (blob URLs the page makes), and requests to this origin only (HTTP and WebSocket).
 * Every other response keeps the strict default.
 */
export const explorerContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'unsafe-inline' blob:",
  'worker-src blob:',
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Apollo answers a browser's GET with the landing page, the only HTML this server sends. */
export function registerExplorerPolicy(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      // A document, unlike the JSON answers: it also gets its own browsing context group.
      reply.header('content-security-policy', explorerContentSecurityPolicy).header('cross-origin-opener-policy', 'same-origin');
    }
    return payload;
  });
}
