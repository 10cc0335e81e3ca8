/** Who is calling: resolved once per request from its credentials. */
export type Viewer =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'user'; readonly userId: string }
  | { readonly kind: 'apiKey'; readonly apiKeyId: string; readonly restaurantId: string; readonly scopes: readonly string[] };

export const anonymous: Viewer = Object.freeze({ kind: 'anonymous' });

/** The identity rate limits count against: the user, the API key, or else the client IP. */
export function rateLimitKeyOf(viewer: Viewer, ip: string): string {
  if (viewer.kind === 'user') return `user:${viewer.userId}`;
  if (viewer.kind === 'apiKey') return `key:${viewer.apiKeyId}`;
  return `ip:${ip}`;
}
