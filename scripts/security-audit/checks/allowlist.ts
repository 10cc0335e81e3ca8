import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const entry = z.object({
  advisory: z.string().regex(/^GHSA(-[0-9a-z]{4}){3}$/, 'a GHSA id, e.g. GHSA-xxxx-xxxx-xxxx'),
  package: z.string().min(1),
  reason: z.string().min(10, 'say why the advisory does not apply'),
  expires: z.iso.date(),
});
const allowListFile = z.object({ entries: z.array(entry) });
export type AllowListEntry = z.infer<typeof entry>;

/** The reviewed allow-list, split into entries in force and expired ones (which no longer apply). */
export async function readAllowList(path: string, today = new Date().toISOString().slice(0, 10)) {
  const parsed = allowListFile.parse(JSON.parse(await readFile(path, 'utf8')));
  return {
    active: parsed.entries.filter((item) => item.expires >= today),
    expired: parsed.entries.filter((item) => item.expires < today),
  };
}
