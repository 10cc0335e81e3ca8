import type { Place } from './markdown.js';

/** One thing wrong, said so that whoever reads CI output knows which file to open and what to do. */
export interface Problem {
  /** `docs/runbook.md:42`, or the code source for a name missing from the docs. */
  where: string;
  message: string;
}

export const at = (place: Place) => `${place.doc}:${place.line}`;

export function formatProblems(problems: Problem[]): string {
  return problems.map((problem) => `  ${problem.where}  ${problem.message}`).join('\n');
}
