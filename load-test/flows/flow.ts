import type { LoadData } from '../data/load-data.js';
import type { LoadClient } from '../engine/client.js';
import type { VirtualUser } from '../engine/executor.js';
import type { Recorder } from '../engine/recorder.js';

/** What a scenario's virtual users work with. */
export interface FlowContext {
  url: string;
  client: LoadClient;
  recorder: Recorder;
  /** The generated restaurants and staff (order creation, subscriptions, soak). */
  data: LoadData;
}

/** A scenario's behaviour: what it prepares, how its `index`-th user starts, what it checks once the stages are over. */
export interface Flow {
  setup?(): Promise<void>;
  startUser(index: number): Promise<VirtualUser>;
  finish?(): Promise<void>;
}

/** Signs in through `login` (AUTH limit) and returns the access token, or throws (the client recorded why). */
export async function signIn(client: LoadClient, email: string, password: string): Promise<string> {
  const answer = await client.graphql({
    name: 'login',
    limit: 'AUTH',
    query: 'mutation SignIn($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }',
    variables: { email, password },
  });
  const token: unknown = answer.data?.login?.accessToken;
  if (typeof token !== 'string') throw new Error(`sign-in as ${email} failed: ${answer.code}`);
  return token;
}
