import { ConfigError, loadConfig } from '../../../src/config.js';
import { type Check, result } from '../audit.js';

/**
 * The configuration judged by the server's own rules (`loadConfig` + src/production-safety.ts), as if it
 * ran with NODE_ENV=production. An environment that is not production is reported as a warning with
 * what production would refuse; a production one fails on anything the server would refuse.
 */
export const configCheck: Check = {
  name: 'configuration',
  async run({ env }) {
    const declared = env.NODE_ENV ?? 'development';
    const production = declared === 'production';
    let problems: string[] = [];
    let warnings: string[] = [];
    try {
      const config = loadConfig({ ...env, NODE_ENV: 'production' });
      warnings = [...config.productionWarnings];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems;
    }
    const evidence = [`NODE_ENV=${declared}`, ...problems.map((line) => `refused: ${line}`), ...warnings.map((line) => `review: ${line}`)];
    if (!production)
      return result(
        'warn',
        `NODE_ENV=${declared}: not a production environment; production would refuse ${problems.length} setting(s)`,
        evidence,
      );
    if (problems.length > 0) return result('fail', `${problems.length} setting(s) the server refuses in production`, evidence);
    if (warnings.length > 0) return result('warn', `${warnings.length} production setting(s) to review`, evidence);
    return result('pass', 'every setting is production-safe', evidence);
  },
};
