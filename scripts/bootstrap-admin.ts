/**
 * npm run admin:bootstrap -- --email you@example.com [--name "Ops"] [--password-file path] < password
 * Creates the first platform administrator. The password comes from a file or stdin, never a default.
 */
import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { hashPassword } from '../src/auth/passwords.js';
import { loadConfig } from '../src/config.js';
import { createDatabase } from '../src/infra/db.js';
import { applyPendingMigrations } from '../src/infra/migrations/migrator.js';
import { lockDatabaseOrExit } from './lock-database.js';

const minPasswordLength = 12;

function fail(message: string): never {
  console.error(`admin:bootstrap: ${message}`);
  process.exit(1);
}

const { values } = parseArgs({
  options: { email: { type: 'string' }, name: { type: 'string' }, 'password-file': { type: 'string' } },
});
const email = z.email().safeParse(values.email?.trim().toLowerCase());
if (!email.success) fail('give the administrator email with --email you@example.com.');

const source = values['password-file'];
if (!source && process.stdin.isTTY) fail('pipe the password on stdin or pass --password-file <path>.');
// One trailing newline belongs to the file or the echo, not to the password.
const password = (source ? await readFile(source, 'utf8') : await text(process.stdin)).replace(/\r?\n$/, '');
if (password.length < minPasswordLength) fail(`the password must have at least ${minPasswordLength} characters.`);

const { database } = loadConfig(process.env);
lockDatabaseOrExit('admin:bootstrap', database);
const db = await createDatabase(database);
// The embedded database migrates itself on first use (as `npm start` does); PostgreSQL is migrated by db:migrate.
if (db.kind === 'embedded') await applyPendingMigrations(db.adapterFactory);
const existing = await db.prisma.user.findUnique({ where: { email: email.data } });
if (!existing) {
  await db.prisma.user.create({
    data: { email: email.data, name: values.name ?? 'Platform administrator', passwordHash: await hashPassword(password), isAdmin: true },
  });
}
await db.close();
if (existing) fail(`${email.data} already exists: nothing changed.`);
console.log(`Platform administrator ${email.data} created.`);
