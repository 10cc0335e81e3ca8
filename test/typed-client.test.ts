import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, GraphQLRequestError } from '../examples/typed-client/client.js';
import { MyRestaurants, PublicMenu, SignIn } from '../examples/typed-client/operations.js';
import { aRestaurant, aUser } from './testkit/seed-builder.js';
import { startTestServer, type TestServer, testPassword } from './testkit/test-server.js';

// The client codegen example (examples/typed-client): typed by codegen from contract/schema.graphql.
describe('the typed client example', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('reads the public menu, signs in and reads the viewer, with types from the committed schema', async () => {
    const { restaurant } = await aRestaurant(server.infra.db.prisma).withCategory('Mains', 2).build();
    const manager = await aUser(server.infra.db.prisma).memberOf(restaurant.id, 'MANAGER').build();
    const anonymous = createClient(`${server.url}/graphql`, { 'x-forwarded-for': server.clientIp });

    const menu = await anonymous.request(PublicMenu, { slug: restaurant.slug });
    const session = await anonymous.request(SignIn, { email: manager.email, password: testPassword });
    const signedIn = createClient(`${server.url}/graphql`, { authorization: `Bearer ${session.login.accessToken}` });
    const me = await signedIn.request(MyRestaurants, {});

    // Typed: `menu.restaurant?.menu[0]?.items[0]?.price.amount` is a number to the compiler.
    const firstPrice: number | undefined = menu.restaurant?.menu[0]?.items[0]?.price.amount;
    expect(firstPrice).toBeGreaterThan(0);
    expect(menu.restaurant?.menu[0]?.items).toHaveLength(2);
    expect(me.me.memberships).toEqual([{ role: 'MANAGER', restaurant: { slug: restaurant.slug } }]);
    await expect(anonymous.request(MyRestaurants, {})).rejects.toBeInstanceOf(GraphQLRequestError);
  });
});
