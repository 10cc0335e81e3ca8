import { z } from 'zod';
import type { TimeEntry } from '../../generated/prisma/client.js';
import { text } from '../../validation/validate.js';

const notInFuture = (date: Date) => date.getTime() <= Date.now();
const pastInstant = z.date().refine(notInFuture, 'must not be in the future');

export const pageSize = z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100');

export const correctTimeEntryInput = z
  .object({
    clockInAt: pastInstant.nullish(),
    clockOutAt: pastInstant.nullish(),
    note: text({ max: 500 }).nullish(),
  })
  .refine((input) => Object.values(input).some((value) => value != null), { message: 'must change at least one field' });

/** Longest `hoursWorked` range: a year, leap day included. */
export const maxHoursRangeDays = 366;

/** What the audit trail keeps of a time entry. */
export const timeEntrySnapshot = (entry: TimeEntry) => ({
  userId: entry.userId,
  clockInAt: entry.clockInAt.toISOString(),
  clockOutAt: entry.clockOutAt?.toISOString() ?? null,
  note: entry.note,
});

/** Whole minutes of a closed entry; null while it is open. */
export const durationMinutes = (entry: TimeEntry): number | null =>
  entry.clockOutAt ? Math.floor((entry.clockOutAt.getTime() - entry.clockInAt.getTime()) / 60_000) : null;
