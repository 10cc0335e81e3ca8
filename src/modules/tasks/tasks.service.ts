import { type Actor, userIdOf } from '../../auth/actor.js';
import { actorIdOf } from '../../auth/request-scope.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import type { EventBus } from '../../events/event-bus.js';
import type { Prisma, Task, TaskStatus } from '../../generated/prisma/client.js';
import type { Db, Tx } from '../../infra/db.js';
import { id, parseInput } from '../../validation/validate.js';
import { recordAudit } from '../audit/audit.service.js';
import { assigneeInput, createTaskInput, pageSize, taskSnapshot, taskStatusInput, updateTaskInput } from './task-inputs.js';

export interface TaskFilters {
  status?: TaskStatus | null;
  assigneeId?: string | null;
  first: number;
}

/** Most urgent first: URGENT before LOW (enum order), then the earliest deadline, then the oldest. */
const urgentFirst: Prisma.TaskOrderByWithRelationInput[] = [
  { priority: 'desc' },
  { dueAt: { sort: 'asc', nulls: 'last' } },
  { createdAt: 'asc' },
  { id: 'asc' },
];

const openStatuses: TaskStatus[] = ['OPEN', 'IN_PROGRESS'];

/**
 * Tasks: creation, content changes, status and assignment. Each change is one transaction with its
 * audit row; the task row is locked first, so the audit's "before" is what the change replaced.
 * taskAssigned is published after the commit, never for a change that rolled back.
 */
export function createTasksService(deps: { prisma: Db; events: EventBus }) {
  const { prisma, events } = deps;

  async function lockedTask(tx: Tx, taskId: string): Promise<Task> {
    await tx.$queryRaw`SELECT 1 FROM "Task" WHERE id = ${taskId} FOR UPDATE`;
    const task = await tx.task.findUnique({ where: { id: taskId } });
    if (!task) throw new NotFoundError('Task', taskId);
    return task;
  }

  async function assertMember(tx: Tx, restaurantId: string, userId: string, field: string) {
    const membership = await tx.membership.findUnique({ where: { userId_restaurantId: { userId, restaurantId } } });
    if (!membership) throw new ValidationError(field, `User "${userId}" is not a member of the task's restaurant.`);
  }

  async function publishAssigned(task: Task) {
    if (!task.assigneeId) return;
    await events.publish({ type: 'taskAssigned', restaurantId: task.restaurantId, taskId: task.id, assigneeId: task.assigneeId });
  }

  return {
    async create(rawInput: unknown, { scope }: Actor): Promise<Task> {
      const input = parseInput(createTaskInput, rawInput, 'input');
      const task = await prisma.$transaction(async (tx) => {
        if (input.assigneeId) await assertMember(tx, input.restaurantId, input.assigneeId, 'input.assigneeId');
        const created = await tx.task.create({
          data: {
            restaurantId: input.restaurantId,
            title: input.title,
            description: input.description || null,
            priority: input.priority ?? 'MEDIUM',
            dueAt: input.dueAt ?? null,
            assigneeId: input.assigneeId ?? null,
            createdById: actorIdOf(scope),
          },
        });
        await recordAudit(tx, scope, {
          action: 'task.create',
          entityType: 'Task',
          entityId: created.id,
          restaurantId: created.restaurantId,
          after: taskSnapshot(created),
        });
        return created;
      });
      await publishAssigned(task);
      return task;
    },

    /** Title, description, priority, due time (managers; the directive checked the role). */
    async update(taskId: string, rawInput: unknown, { scope }: Actor): Promise<Task> {
      const input = parseInput(updateTaskInput, rawInput, 'input');
      return prisma.$transaction(async (tx) => {
        const before = await lockedTask(tx, taskId);
        const after = await tx.task.update({
          where: { id: taskId },
          data: {
            ...(input.title != null ? { title: input.title } : {}),
            ...(input.description != null ? { description: input.description || null } : {}),
            ...(input.priority != null ? { priority: input.priority } : {}),
            ...(input.dueAt != null ? { dueAt: input.dueAt } : {}),
            ...(input.clearDueAt ? { dueAt: null } : {}),
          },
        });
        await recordAudit(tx, scope, {
          action: 'task.update',
          entityType: 'Task',
          entityId: taskId,
          restaurantId: before.restaurantId,
          before: taskSnapshot(before),
          after: taskSnapshot(after),
        });
        return after;
      });
    },

    /** Managers move any task; staff only tasks assigned to them. Unchanged status: nothing written. */
    async updateStatus(taskId: string, rawStatus: unknown, { scope, access }: Actor): Promise<Task> {
      const status = parseInput(taskStatusInput, rawStatus, 'status');
      return prisma.$transaction(async (tx) => {
        const before = await lockedTask(tx, taskId);
        const mine = before.assigneeId !== null && access.isUser(before.assigneeId);
        if (!mine && !(await access.hasRole('MANAGER', before.restaurantId))) {
          throw new ForbiddenError('Staff can change the status only of tasks assigned to them.');
        }
        if (before.status === status) return before;
        const after = await tx.task.update({
          where: { id: taskId },
          data: { status, completedAt: status === 'DONE' ? new Date() : null },
        });
        await recordAudit(tx, scope, {
          action: 'task.status',
          entityType: 'Task',
          entityId: taskId,
          restaurantId: before.restaurantId,
          before: { status: before.status, completedAt: before.completedAt?.toISOString() ?? null },
          after: { status: after.status, completedAt: after.completedAt?.toISOString() ?? null },
        });
        return after;
      });
    },

    /** Assigns, re-assigns or (with null) unassigns. The same assignee again: nothing written, no event. */
    async assign(taskId: string, rawAssigneeId: unknown, { scope }: Actor): Promise<Task> {
      const assigneeId = parseInput(assigneeInput, rawAssigneeId, 'assigneeId') ?? null;
      const { task, changed } = await prisma.$transaction(async (tx) => {
        const before = await lockedTask(tx, taskId);
        if (before.assigneeId === assigneeId) return { task: before, changed: false };
        if (assigneeId) await assertMember(tx, before.restaurantId, assigneeId, 'assigneeId');
        const after = await tx.task.update({ where: { id: taskId }, data: { assigneeId } });
        await recordAudit(tx, scope, {
          action: assigneeId ? 'task.assign' : 'task.unassign',
          entityType: 'Task',
          entityId: taskId,
          restaurantId: before.restaurantId,
          before: { assigneeId: before.assigneeId },
          after: { assigneeId: after.assigneeId },
        });
        return { task: after, changed: true };
      });
      if (changed) await publishAssigned(task);
      return task;
    },

    /** A restaurant's tasks, most urgent first. */
    async list(restaurantId: string, filters: TaskFilters): Promise<Task[]> {
      const take = parseInput(pageSize, filters.first, 'first');
      const assigneeId = parseInput(id.nullish(), filters.assigneeId, 'assigneeId');
      return prisma.task.findMany({
        where: { restaurantId, ...(filters.status ? { status: filters.status } : {}), ...(assigneeId ? { assigneeId } : {}) },
        orderBy: urgentFirst,
        take,
      });
    },

    /** The viewer's tasks in the restaurants they (still) belong to; every one for a platform admin. */
    async listMine(filters: Omit<TaskFilters, 'assigneeId'>, { scope, access }: Actor): Promise<Task[]> {
      const take = parseInput(pageSize, filters.first, 'first');
      const assigneeId = userIdOf(scope);
      const restaurantIds = await access.visibleRestaurantIds();
      return prisma.task.findMany({
        where: {
          assigneeId,
          ...(restaurantIds ? { restaurantId: { in: [...restaurantIds] } } : {}),
          ...(filters.status ? { status: filters.status } : {}),
        },
        orderBy: urgentFirst,
        take,
      });
    },

    /** Tasks not DONE whose due time has passed, longest overdue first. */
    async listOverdue(restaurantId: string, first: number, now = new Date()): Promise<Task[]> {
      const take = parseInput(pageSize, first, 'first');
      return prisma.task.findMany({
        where: { restaurantId, status: { in: openStatuses }, dueAt: { lt: now } },
        orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
        take,
      });
    },
  };
}

export type TasksService = ReturnType<typeof createTasksService>;
