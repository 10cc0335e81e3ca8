import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BackupLocation, LocationOptions } from './backup-location.js';
import { manifestName, manifestSuffix, parseManifest } from './manifest.js';

/** BACKUP_DIR: where every dump is written first, and kept until retention removes it. */
export function createLocalLocation(dir: string, options: LocationOptions = {}): BackupLocation {
  const root = resolve(dir);
  const writeManifest = async (manifest: Parameters<BackupLocation['saveManifest']>[0]) => {
    await mkdir(root, { recursive: true });
    // Written under a temporary name, then renamed: a half-written manifest is never listed.
    const temporary = join(root, `.${manifestName(manifest)}.tmp`);
    await writeFile(temporary, `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(temporary, join(root, manifestName(manifest)));
  };
  return {
    name: root,
    async manifests() {
      const names = await readdir(root).catch(() => [] as string[]);
      const manifests = [];
      for (const name of names.filter((entry) => entry.endsWith(manifestSuffix))) {
        try {
          manifests.push(parseManifest(await readFile(join(root, name), 'utf8'), name));
        } catch (error) {
          options.onInvalid?.(join(root, name), error);
        }
      }
      return manifests;
    },
    async save(manifest, localDir) {
      if (resolve(localDir) !== root) {
        await mkdir(root, { recursive: true });
        await copyFile(join(localDir, manifest.file), join(root, manifest.file));
      }
      await writeManifest(manifest);
    },
    saveManifest: writeManifest,
    async fetch(manifest, localDir) {
      if (resolve(localDir) === root) return;
      await copyFile(join(root, manifest.file), join(localDir, manifest.file));
    },
    async remove(manifest) {
      // Manifest first: a dump without a manifest is never listed, the reverse would be.
      await rm(join(root, manifestName(manifest)), { force: true });
      await rm(join(root, manifest.file), { force: true });
    },
    close() {
      // Nothing held: each call opens its own files.
    },
  };
}
