import { demoPassword } from '../src/demo/demo-restaurants.js';

// biome-ignore lint/suspicious/noExplicitAny: the load tests read a field or two of known answers.
type Data = Record<string, any>;

/** One GraphQL POST to the server at `url` (its root), as `token`'s user when given. */
export async function graphql(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Data | null; errors?: unknown[] };
}

/** Signs in as a demo user (src/demo) and returns the access token; fails when there is no demo data. */
export async function signInAsDemoUser(url: string, email: string): Promise<string> {
  const { data } = await graphql(url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', {
    e: email,
    p: demoPassword,
  });
  const token: unknown = data?.login?.accessToken;
  if (typeof token !== 'string') throw new Error(`Sign-in as ${email} failed: is the demo data seeded (npm start on an empty database)?`);
  return token;
}

/** The id of a demo restaurant, by slug (demo-bistro, harbor-grill). */
export async function demoRestaurantId(url: string, slug: string): Promise<string> {
  const { data } = await graphql(url, 'query($slug: String!) { restaurant(slug: $slug) { id } }', { slug });
  const id: unknown = data?.restaurant?.id;
  if (typeof id !== 'string') throw new Error(`The demo restaurant "${slug}" was not found.`);
  return id;
}
