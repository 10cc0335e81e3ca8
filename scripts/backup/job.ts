import { type Config, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/infra/logger.js';
import { createJobNotifier } from './notify.js';

export interface JobOutcome {
  summary: string;
  details: Record<string, string>;
}

/**
 * Runs a backup job: config from the environment, human lines on stdout, one notification at the
 * end (success as information, failure as a critical alert) and exit code 1 on failure. A
 * BackupError is reported as its one-line message, anything else with its stack as well.
 */
export async function runJob(
  job: { name: string; title: string },
  work: (context: { config: Config; print: (line: string) => void }) => Promise<JobOutcome>,
): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config);
  const notifier = createJobNotifier(config, logger);
  const print = (line: string) => console.log(line);
  try {
    const outcome = await work({ config, print });
    await notifier.notify({
      ok: true,
      name: `${job.name}_succeeded`,
      title: job.title,
      summary: outcome.summary,
      details: outcome.details,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`${job.title} failed: ${message}`);
    if (!(error instanceof Error && error.name === 'BackupError')) console.error(error);
    const code = (error as { code?: unknown }).code;
    await notifier.notify({
      ok: false,
      name: `${job.name}_failed`,
      title: job.title,
      summary: `${job.title} failed: ${message}`,
      details: { environment: config.env, ...(typeof code === 'string' ? { code } : {}) },
    });
    process.exitCode = 1;
  } finally {
    await notifier.close();
  }
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(2)} MB`;
