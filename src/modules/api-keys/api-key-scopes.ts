/** The scopes a partner key can hold; `@scope(requires: "…")` in the SDL names the same strings. */
export const apiKeyScopes = {
  MENU_READ: 'menu:read',
  ORDERS_READ: 'orders:read',
  ORDERS_WRITE: 'orders:write',
  INVENTORY_READ: 'inventory:read',
} as const;

export type ApiKeyScopeName = keyof typeof apiKeyScopes;

export function scopeNameOf(scope: string): ApiKeyScopeName | undefined {
  return (Object.keys(apiKeyScopes) as ApiKeyScopeName[]).find((name) => apiKeyScopes[name] === scope);
}
