/** The server's rate limits a load scenario can run into, and the variable that raises each. */
export type Limit = 'AUTH' | 'API' | 'HEAVY' | 'ANONYMOUS_HTTP';

const limits: Record<Limit, { variable: string; defaultValue: string; per: string }> = {
  AUTH: { variable: 'RATE_LIMIT_AUTH', defaultValue: '5/900', per: 'client address (signing in is anonymous)' },
  API: { variable: 'RATE_LIMIT_API', defaultValue: '60/60', per: 'user' },
  HEAVY: { variable: 'RATE_LIMIT_HEAVY', defaultValue: '20/60', per: 'user' },
  ANONYMOUS_HTTP: { variable: 'RATE_LIMIT_ANONYMOUS_HTTP', defaultValue: '100/900', per: 'client address' },
};

/** Requests refused with 429 / RATE_LIMITED, by the limit that refused them and the operations hit. */
export class RateLimitLog {
  private readonly refused = new Map<Limit, { count: number; operations: Set<string> }>();

  add(limit: Limit, operation: string): void {
    const entry = this.refused.get(limit) ?? { count: 0, operations: new Set<string>() };
    entry.count++;
    entry.operations.add(operation);
    this.refused.set(limit, entry);
  }

  /** One sentence per limit hit: which limit, counted per what, and the variable that raises it. */
  explanations(): string[] {
    return [...this.refused].map(([limit, { count, operations }]) => {
      const { variable, defaultValue, per } = limits[limit];
      return (
        `${count} request(s) (${[...operations].join(', ')}) were refused with 429 RATE_LIMITED by the ${limit} limit, ` +
        `counted per ${per}: start the server with a higher ${variable} (default ${defaultValue}, "<requests>/<seconds>"), ` +
        `e.g. ${variable}=100000/60 npm start, or let \`npm run load\` start its own server.`
      );
    });
  }
}
