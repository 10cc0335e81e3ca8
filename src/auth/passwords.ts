import { hash, verify } from '@node-rs/argon2';

/** argon2id (the @node-rs/argon2 default) with its recommended parameters. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Verified against when the email is unknown, so both paths cost the same time.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) {
    dummyHash ??= hash('servio-timing-equaliser');
    await verify(await dummyHash, password);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}
