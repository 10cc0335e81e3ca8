import { fileURLToPath } from 'node:url';

/** operations/ at the project root (the same relative path from src/ and dist/). */
const operationsDir = fileURLToPath(new URL('../../../operations/', import.meta.url));
export const partnerOperationsDir = `${operationsDir}partners`;
export const manifestPath = `${operationsDir}persisted-query-manifest.json`;
