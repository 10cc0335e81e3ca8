import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rawSqlOffences, scanForRawSql } from '../scripts/security-audit/raw-sql.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The same scan `npm run security:audit` runs (its "SQL injection" check). */
describe('no string-built SQL', () => {
  it('finds neither unsafe raw-SQL method anywhere in src/, scripts/ or prisma/', async () => {
    const { files, offences } = await scanForRawSql(root);
    // The scan really covers the code: a sanity check against scanning an empty or wrong tree.
    expect(files).toEqual(
      expect.arrayContaining([join('src', 'server.ts'), join('src', 'infra', 'db.ts'), join('prisma', 'schema.prisma')]),
    );
    expect(files.some((file) => file.startsWith(join('src', 'generated')))).toBe(false);

    expect(offences).toEqual([]);
  });

  it('would catch either method', () => {
    for (const name of ['query', 'execute'].map((verb) => `$${verb}Raw${'Unsafe'}`))
      expect(rawSqlOffences('example.ts', `await prisma.${name}(sql);`)).toEqual([`example.ts:1: await prisma.${name}(sql);`]);
    expect(rawSqlOffences('example.ts', 'await prisma.$queryRaw`SELECT 1`;')).toEqual([]);
  });

  it('would catch raw SQL built from a string through the safe methods', () => {
    const called = `await prisma.$queryRaw('SELECT * FROM "User" WHERE email = ' + email);`;
    expect(rawSqlOffences('example.ts', called)).toEqual([`example.ts:1: ${called}`]);
    expect(rawSqlOffences('example.ts', `const clause = Prisma.${'raw'}(input);`)).toHaveLength(1);
  });
});
