import { type Actor, userIdOf } from '../../auth/actor.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import type { TimeEntry } from '../../generated/prisma/client.js';
import type { Db } from '../../infra/db.js';
import { isUniqueViolation } from '../../infra/prisma-errors.js';
import { id, parseInput } from '../../validation/validate.js';
import { recordAudit } from '../audit/audit.service.js';
import { type HoursWorkedRow, queryHoursWorked } from './hours-worked.js';
import { correctTimeEntryInput, maxHoursRangeDays, pageSize, timeEntrySnapshot } from './time-entry-inputs.js';

export interface TimeEntryFilters {
  userId?: string | null;
  from?: Date | null;
  to?: Date | null;
  first: number;
}

export interface HoursWorkedArgs {
  from: Date;
  to: Date;
  groupBy: 'DAY' | 'WEEK';
  userId?: string | null;
}

const alreadyClockedIn = (restaurantId: string, since?: Date) =>
  new ConflictError(
    `You are already clocked in at restaurant "${restaurantId}"${since ? ` since ${since.toISOString()}` : ''}: clock out first.`,
    { reason: 'ALREADY_CLOCKED_IN' },
  );

/**
 * The time clock: members clock themselves in and out (at most one open entry per member and
 * restaurant, which the partial unique index "TimeEntry_one_open_entry_key" guarantees even under
 * concurrent clock-ins), managers correct entries, and hours are summed in the database.
 */
export function createTimeClockService(deps: { prisma: Db }) {
  const { prisma } = deps;

  /** Staff see only themselves: their own id, or FORBIDDEN for someone else's. Managers see anyone. */
  async function visibleUserId(restaurantId: string, requested: string | null, { scope, access }: Actor): Promise<string | null> {
    if (await access.hasRole('MANAGER', restaurantId)) return requested;
    const self = userIdOf(scope);
    if (requested && requested !== self) throw new ForbiddenError('Staff can see only their own time entries and hours.');
    return self;
  }

  return {
    async clockIn(restaurantId: string, { scope }: Actor): Promise<TimeEntry> {
      const userId = userIdOf(scope);
      try {
        return await prisma.$transaction(async (tx) => {
          const membership = await tx.membership.findUnique({ where: { userId_restaurantId: { userId, restaurantId } } });
          if (!membership) throw new ForbiddenError('Only members of the restaurant can clock in there.');
          const open = await tx.timeEntry.findFirst({ where: { userId, restaurantId, clockOutAt: null } });
          if (open) throw alreadyClockedIn(restaurantId, open.clockInAt);
          const entry = await tx.timeEntry.create({ data: { restaurantId, userId, clockInAt: new Date() } });
          await recordAudit(tx, scope, {
            action: 'timeEntry.clockIn',
            entityType: 'TimeEntry',
            entityId: entry.id,
            restaurantId,
            after: timeEntrySnapshot(entry),
          });
          return entry;
        });
      } catch (error) {
        // A concurrent clock-in committed between our check and our insert: the index refused ours.
        if (isUniqueViolation(error)) throw alreadyClockedIn(restaurantId);
        throw error;
      }
    },

    async clockOut(restaurantId: string, { scope }: Actor): Promise<TimeEntry> {
      const userId = userIdOf(scope);
      return prisma.$transaction(async (tx) => {
        const open = await tx.timeEntry.findFirst({ where: { userId, restaurantId, clockOutAt: null } });
        const notClockedIn = new ConflictError(`You are not clocked in at restaurant "${restaurantId}": clock in first.`, {
          reason: 'NOT_CLOCKED_IN',
        });
        if (!open) throw notClockedIn;
        // Conditional on still being open: of two concurrent clock-outs, one closes the entry.
        const closed = await tx.timeEntry.updateMany({ where: { id: open.id, clockOutAt: null }, data: { clockOutAt: new Date() } });
        if (closed.count === 0) throw notClockedIn;
        const entry = await tx.timeEntry.findUniqueOrThrow({ where: { id: open.id } });
        await recordAudit(tx, scope, {
          action: 'timeEntry.clockOut',
          entityType: 'TimeEntry',
          entityId: entry.id,
          restaurantId,
          before: timeEntrySnapshot(open),
          after: timeEntrySnapshot(entry),
        });
        return entry;
      });
    },

    /** A manager's correction (the directive checked the role); the row is locked while it is checked. */
    async correct(entryId: string, rawInput: unknown, { scope }: Actor): Promise<TimeEntry> {
      const input = parseInput(correctTimeEntryInput, rawInput, 'input');
      return prisma.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT 1 FROM "TimeEntry" WHERE id = ${entryId} FOR UPDATE`;
        const before = await tx.timeEntry.findUnique({ where: { id: entryId } });
        if (!before) throw new NotFoundError('TimeEntry', entryId);
        const clockInAt = input.clockInAt ?? before.clockInAt;
        const clockOutAt = input.clockOutAt ?? before.clockOutAt;
        if (clockOutAt && clockOutAt <= clockInAt) {
          const field = input.clockOutAt ? 'input.clockOutAt' : 'input.clockInAt';
          throw new ValidationError(field, `Invalid ${field}: the clock-out must be after the clock-in.`);
        }
        const overlapping = await tx.timeEntry.findFirst({
          where: {
            id: { not: entryId },
            userId: before.userId,
            restaurantId: before.restaurantId,
            ...(clockOutAt ? { clockInAt: { lt: clockOutAt } } : {}),
            OR: [{ clockOutAt: null }, { clockOutAt: { gt: clockInAt } }],
          },
        });
        if (overlapping) {
          throw new ConflictError(`The corrected shift overlaps time entry "${overlapping.id}" of the same member.`, {
            overlapsId: overlapping.id,
          });
        }
        const after = await tx.timeEntry.update({
          where: { id: entryId },
          data: { clockInAt, clockOutAt, ...(input.note != null ? { note: input.note || null } : {}) },
        });
        await recordAudit(tx, scope, {
          action: 'timeEntry.correct',
          entityType: 'TimeEntry',
          entityId: entryId,
          restaurantId: before.restaurantId,
          before: timeEntrySnapshot(before),
          after: timeEntrySnapshot(after),
        });
        return after;
      });
    },

    /** The viewer's open entry at the restaurant, if any. */
    async current(restaurantId: string, { scope }: Actor): Promise<TimeEntry | null> {
      return prisma.timeEntry.findFirst({ where: { userId: userIdOf(scope), restaurantId, clockOutAt: null } });
    },

    /** Latest clock-in first; staff get only their own entries. */
    async list(restaurantId: string, filters: TimeEntryFilters, actor: Actor): Promise<TimeEntry[]> {
      const take = parseInput(pageSize, filters.first, 'first');
      const requested = parseInput(id.nullish(), filters.userId, 'userId') ?? null;
      const userId = await visibleUserId(restaurantId, requested, actor);
      const { from, to } = filters;
      return prisma.timeEntry.findMany({
        where: {
          restaurantId,
          ...(userId ? { userId } : {}),
          ...(from || to ? { clockInAt: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}),
        },
        orderBy: [{ clockInAt: 'desc' }, { id: 'desc' }],
        take,
      });
    },

    /** Minutes per member and local day or week, summed by PostgreSQL; staff get only their own. */
    async hoursWorked(restaurantId: string, args: HoursWorkedArgs, actor: Actor): Promise<HoursWorkedRow[]> {
      const requested = parseInput(id.nullish(), args.userId, 'userId') ?? null;
      if (args.to <= args.from) throw new ValidationError('to', 'Invalid to: must be after from.');
      if (args.to.getTime() - args.from.getTime() > maxHoursRangeDays * 86_400_000) {
        throw new ValidationError('to', `Invalid to: must be at most ${maxHoursRangeDays} days after from.`);
      }
      const userId = await visibleUserId(restaurantId, requested, actor);
      return queryHoursWorked(prisma, { restaurantId, from: args.from, to: args.to, groupBy: args.groupBy, userId, now: new Date() });
    },
  };
}

export type TimeClockService = ReturnType<typeof createTimeClockService>;
