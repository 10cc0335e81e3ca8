/** Requests an attacker sends to /graphql. Each must get a 4xx-class answer, never a 5xx or a leaked internal. */
export interface HostileRequest {
  name: string;
  method?: 'GET' | 'POST';
  /** A raw body (malformed JSON), or a GraphQL request to JSON-encode. */
  body?: string | { query: string; variables?: Record<string, unknown> };
  query?: string;
}

/** `{"a":{"a":…"leaf"…}}` written out, since JSON.stringify itself would overflow the stack. */
const nested = (depth: number) => `${'{"a":'.repeat(depth)}"leaf"${'}'.repeat(depth)}`;

const injections = [
  `' OR '1'='1`,
  `x'; DROP TABLE "User"; --`,
  `1) UNION SELECT email, "passwordHash" FROM "User" --`,
  `\\'; SELECT pg_sleep(5); --`,
];

export const hostileRequests: HostileRequest[] = [
  ...injections.map((value) => ({
    name: `slug ${JSON.stringify(value)}`,
    body: { query: 'query($slug: String!) { restaurant(slug: $slug) { id name } }', variables: { slug: value } },
  })),
  ...injections.map((value) => ({
    name: `login email ${JSON.stringify(value)}`,
    body: {
      query: 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }',
      variables: { email: value, password: value },
    },
  })),
  { name: 'SQL in an inline string argument', body: { query: `{ restaurant(slug: "demo' OR 1=1 --") { id } }` } },
  { name: 'an id made of SQL', body: { query: 'query($id: ID!) { order(id: $id) { id } }', variables: { id: `1 OR 1=1; --` } } },
  {
    name: 'an object where a string is expected',
    body: { query: 'query($slug: String!) { restaurant(slug: $slug) { id } }', variables: { slug: { $gt: '' } } },
  },
  {
    name: 'a NUL byte in a variable',
    body: { query: 'query($slug: String!) { restaurant(slug: $slug) { id } }', variables: { slug: 'demo\u0000bistro' } },
  },
  {
    name: 'a variable nested 5,000 deep',
    body: `{"query":"query($slug: String!) { restaurant(slug: $slug) { id } }","variables":{"slug":"demo","deep":${nested(5_000)}}}`,
  },
  {
    name: 'a 200 KB string',
    body: { query: 'query($slug: String!) { restaurant(slug: $slug) { id } }', variables: { slug: 'a'.repeat(200_000) } },
  },
  { name: 'malformed JSON', body: '{"query": "{ __typename }"' },
  { name: 'a query that is not GraphQL', body: { query: "SELECT * FROM \"User\" WHERE '1'='1'" } },
  { name: 'a mutation over GET', method: 'GET', query: 'mutation { logout(refreshToken: "x") }' },
  { name: 'a batch of operations', body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]) },
];

/** What must never reach a client: driver and ORM errors, SQL, stack frames. */
export const leakPattern =
  /syntax error at or near|SQLSTATE|PrismaClient|prisma\.\w+\.|relation "[^"]+" does not exist|\n\s+at .+:\d+:\d+/i;
