import { z } from 'zod';
import type { Task } from '../../generated/prisma/client.js';
import { id, text } from '../../validation/validate.js';

const taskStatus = z.enum(['OPEN', 'IN_PROGRESS', 'DONE']);
const taskPriority = z.enum(['LOW', 'MEDIUM', 'HIGH', 'URGENT']);
const title = text({ min: 1, max: 200 });
const description = text({ max: 2000 });

export const pageSize = z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100');

export const createTaskInput = z.object({
  restaurantId: id,
  title,
  description: description.nullish(),
  priority: taskPriority.nullish(),
  dueAt: z.date().nullish(),
  assigneeId: id.nullish(),
});

export const updateTaskInput = z
  .object({
    title: title.nullish(),
    description: description.nullish(),
    priority: taskPriority.nullish(),
    dueAt: z.date().nullish(),
    clearDueAt: z.boolean().nullish(),
  })
  .superRefine((input, ctx) => {
    if (input.clearDueAt && input.dueAt) {
      ctx.addIssue({ code: 'custom', path: ['clearDueAt'], message: 'cannot be combined with dueAt' });
    }
    if (Object.values(input).every((value) => value == null || value === false)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'must change at least one field' });
    }
  });

export const taskStatusInput = taskStatus;
export const assigneeInput = id.nullish();

/** What the audit trail keeps of a task: everything a person can change. */
export const taskSnapshot = (task: Task) => ({
  title: task.title,
  description: task.description,
  status: task.status,
  priority: task.priority,
  assigneeId: task.assigneeId,
  dueAt: task.dueAt?.toISOString() ?? null,
  completedAt: task.completedAt?.toISOString() ?? null,
});
