import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DomainEvent } from '../src/events/event-bus.js';
import { createTasksService } from '../src/modules/tasks/tasks.service.js';
import { forgetCachedAccess } from './testkit/permission-cache.js';
import { aRestaurant, aTeam, aUser } from './testkit/seed-builder.js';
import { countStatements, errorCode, type Json, startTestServer, type TestServer } from './testkit/test-server.js';

type TaskAssigned = Extract<DomainEvent, { type: 'taskAssigned' }>;

const taskFields = 'id title description status priority dueAt completedAt isOverdue restaurant { id } assignee { id } createdBy { id }';
const createTask = `mutation($input: CreateTaskInput!) { createTask(input: $input) { ${taskFields} } }`;
const updateTask = `mutation($id: ID!, $input: UpdateTaskInput!) { updateTask(id: $id, input: $input) { ${taskFields} } }`;
const updateStatus = `mutation($id: ID!, $status: TaskStatus!) { updateTaskStatus(id: $id, status: $status) { ${taskFields} } }`;
const assignTask = `mutation($id: ID!, $assigneeId: ID) { assignTask(id: $id, assigneeId: $assigneeId) { ${taskFields} } }`;
const readTask = 'query($id: ID!) { task(id: $id) { id title } }';
const listTasks =
  'query($r: ID!, $status: TaskStatus, $assigneeId: ID, $first: Int!) { tasks(restaurantId: $r, status: $status, assigneeId: $assigneeId, first: $first) { id title priority } }';

const hour = 3_600_000;

describe('tasks', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  const prisma = () => server.infra.db.prisma;

  const setUp = () => aTeam(server);

  async function gql(query: string, variables: Record<string, unknown>, headers?: Record<string, string>): Promise<Json> {
    return (await server.graphql<Json>(query, variables, headers)).body;
  }

  /** A task created directly in the database. */
  const seedTask = (restaurantId: string, data: Record<string, unknown> = {}) =>
    prisma().task.create({ data: { restaurantId, title: 'Clean the fryer', ...data } });

  /** taskAssigned events of one restaurant while `work` runs, once `expected` of them have arrived. */
  async function taskAssignedEvents(restaurantId: string, expected: number, work: () => Promise<unknown>): Promise<TaskAssigned[]> {
    const controller = new AbortController();
    const received: TaskAssigned[] = [];
    const listening = (async () => {
      for await (const event of server.infra.events.subscribe('taskAssigned', { signal: controller.signal })) {
        if (event.restaurantId === restaurantId) received.push(event);
      }
    })();
    try {
      await work();
      await vi.waitFor(() => expect(received.length).toBeGreaterThanOrEqual(expected), { timeout: 5_000 });
      return received;
    } finally {
      controller.abort();
      await listening;
    }
  }

  it('lets a manager create a task assigned to a member: audited, and taskAssigned published after the commit', async () => {
    const { restaurant, manager, staff } = await setUp();
    const dueAt = new Date(Date.now() + 2 * hour).toISOString();
    let body: Json;

    const events = await taskAssignedEvents(restaurant.id, 1, async () => {
      body = await gql(
        createTask,
        {
          input: {
            restaurantId: restaurant.id,
            title: ' Count the <b>walk-in</b> ',
            description: 'Every shelf',
            priority: 'HIGH',
            dueAt,
            assigneeId: staff.user.id,
          },
        },
        manager.headers,
      );
    });

    expect(body.errors).toBeUndefined();
    const task = body.data.createTask;
    expect(task).toMatchObject({
      title: 'Count the walk-in',
      description: 'Every shelf',
      status: 'OPEN',
      priority: 'HIGH',
      dueAt,
      completedAt: null,
      isOverdue: false,
      restaurant: { id: restaurant.id },
      assignee: { id: staff.user.id },
      createdBy: { id: manager.user.id },
    });
    expect(events).toEqual([{ type: 'taskAssigned', restaurantId: restaurant.id, taskId: task.id, assigneeId: staff.user.id }]);
    const audit = await prisma().auditLog.findMany({ where: { entityType: 'Task', entityId: task.id } });
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'task.create',
        actorId: manager.user.id,
        restaurantId: restaurant.id,
        before: null,
        after: expect.objectContaining({ title: 'Count the walk-in', status: 'OPEN', priority: 'HIGH', assigneeId: staff.user.id, dueAt }),
      }),
    ]);
  });

  it('defaults to MEDIUM, unassigned, and publishes nothing without an assignee', async () => {
    const { restaurant, owner } = await setUp();
    const body = await gql(createTask, { input: { restaurantId: restaurant.id, title: 'Order napkins' } }, owner.headers);
    expect(body.data.createTask).toMatchObject({ priority: 'MEDIUM', assignee: null, dueAt: null, description: null });
  });

  it('refuses task creation to staff and validates input with the field path, writing nothing', async () => {
    const { restaurant, manager, staff } = await setUp();
    const outsider = await aUser(prisma()).build();

    const byStaff = await gql(createTask, { input: { restaurantId: restaurant.id, title: 'Nope' } }, staff.headers);
    const notMember = await gql(
      createTask,
      { input: { restaurantId: restaurant.id, title: 'Nope', assigneeId: outsider.id } },
      manager.headers,
    );
    const emptyTitle = await gql(createTask, { input: { restaurantId: restaurant.id, title: '  <i></i> ' } }, manager.headers);
    const longDescription = await gql(
      createTask,
      { input: { restaurantId: restaurant.id, title: 'Long', description: 'x'.repeat(2001) } },
      manager.headers,
    );

    expect(errorCode(byStaff)).toBe('FORBIDDEN');
    expect(notMember.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.assigneeId' });
    expect(notMember.errors[0].message).toContain(outsider.id);
    expect(emptyTitle.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.title' });
    expect(longDescription.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.description' });
    expect(await prisma().task.count({ where: { restaurantId: restaurant.id } })).toBe(0);
    expect(await prisma().auditLog.count({ where: { restaurantId: restaurant.id, entityType: 'Task' } })).toBe(0);
  });

  it('assigns, re-assigns and unassigns: audited, with an event for each new assignee only', async () => {
    const { restaurant, manager, staff, otherStaff } = await setUp();
    const task = await seedTask(restaurant.id);
    const answers: Json[] = [];

    const events = await taskAssignedEvents(restaurant.id, 2, async () => {
      answers.push(await gql(assignTask, { id: task.id, assigneeId: staff.user.id }, manager.headers));
      answers.push(await gql(assignTask, { id: task.id, assigneeId: staff.user.id }, manager.headers)); // no change
      answers.push(await gql(assignTask, { id: task.id, assigneeId: otherStaff.user.id }, manager.headers));
    });
    answers.push(await gql(assignTask, { id: task.id, assigneeId: null }, manager.headers));

    expect(answers.map((answer) => answer.data?.assignTask?.assignee?.id ?? null)).toEqual([
      staff.user.id,
      staff.user.id,
      otherStaff.user.id,
      null,
    ]);
    expect(events.map((event) => event.assigneeId)).toEqual([staff.user.id, otherStaff.user.id]);
    const audit = await prisma().auditLog.findMany({ where: { entityId: task.id }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((row) => [row.action, row.before, row.after])).toEqual([
      ['task.assign', { assigneeId: null }, { assigneeId: staff.user.id }],
      ['task.assign', { assigneeId: staff.user.id }, { assigneeId: otherStaff.user.id }],
      ['task.unassign', { assigneeId: otherStaff.user.id }, { assigneeId: null }],
    ]);
  });

  it('refuses an assignee from another restaurant (BAD_USER_INPUT on assigneeId) and assignment by staff', async () => {
    const { restaurant, manager, staff } = await setUp();
    const elsewhere = await setUp();
    const task = await seedTask(restaurant.id);

    const foreign = await gql(assignTask, { id: task.id, assigneeId: elsewhere.staff.user.id }, manager.headers);
    const byStaff = await gql(assignTask, { id: task.id, assigneeId: staff.user.id }, staff.headers);

    expect(foreign.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'assigneeId' });
    // @auth hides an id the caller's role may not act on, as for other tenants' ids.
    expect(errorCode(byStaff)).toBe('NOT_FOUND');
    expect((await prisma().task.findUniqueOrThrow({ where: { id: task.id } })).assigneeId).toBeNull();
    expect(await prisma().auditLog.count({ where: { entityId: task.id } })).toBe(0);
  });

  it('lets staff move their own tasks through the statuses; DONE sets completedAt and reopening clears it', async () => {
    const { restaurant, staff } = await setUp();
    const task = await seedTask(restaurant.id, { assigneeId: staff.user.id });

    const started = await gql(updateStatus, { id: task.id, status: 'IN_PROGRESS' }, staff.headers);
    const done = await gql(updateStatus, { id: task.id, status: 'DONE' }, staff.headers);
    const again = await gql(updateStatus, { id: task.id, status: 'DONE' }, staff.headers);
    const reopened = await gql(updateStatus, { id: task.id, status: 'OPEN' }, staff.headers);

    expect(started.data.updateTaskStatus).toMatchObject({ status: 'IN_PROGRESS', completedAt: null });
    expect(done.data.updateTaskStatus.status).toBe('DONE');
    expect(Date.now() - Date.parse(done.data.updateTaskStatus.completedAt)).toBeLessThan(60_000);
    expect(again.data.updateTaskStatus.completedAt).toBe(done.data.updateTaskStatus.completedAt);
    expect(reopened.data.updateTaskStatus).toMatchObject({ status: 'OPEN', completedAt: null });
    const audit = await prisma().auditLog.findMany({ where: { entityId: task.id }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((row) => [row.action, (row.before as Json).status, (row.after as Json).status, row.actorId])).toEqual([
      ['task.status', 'OPEN', 'IN_PROGRESS', staff.user.id],
      ['task.status', 'IN_PROGRESS', 'DONE', staff.user.id],
      ['task.status', 'DONE', 'OPEN', staff.user.id],
    ]);
  });

  it("refuses staff a status change on someone else's or an unassigned task, and their content changes; managers may", async () => {
    const { restaurant, manager, staff, otherStaff } = await setUp();
    const theirs = await seedTask(restaurant.id, { assigneeId: otherStaff.user.id });
    const nobodys = await seedTask(restaurant.id);

    const others = await gql(updateStatus, { id: theirs.id, status: 'DONE' }, staff.headers);
    const unassigned = await gql(updateStatus, { id: nobodys.id, status: 'DONE' }, staff.headers);
    const content = await gql(updateTask, { id: theirs.id, input: { title: 'Mine now' } }, otherStaff.headers);

    expect([errorCode(others), errorCode(unassigned)]).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    // updateTask is for managers: @auth answers a staff member as it would an unknown id.
    expect(errorCode(content)).toBe('NOT_FOUND');
    expect(await prisma().task.count({ where: { restaurantId: restaurant.id, status: 'OPEN', title: 'Clean the fryer' } })).toBe(2);
    expect(await prisma().auditLog.count({ where: { restaurantId: restaurant.id } })).toBe(0);

    const byManager = await gql(updateStatus, { id: theirs.id, status: 'DONE' }, manager.headers);
    expect(byManager.data.updateTaskStatus.status).toBe('DONE');
  });

  it('lets managers change priority, title and due date, audited before and after; validates the input', async () => {
    const { restaurant, manager } = await setUp();
    const dueAt = new Date(Date.now() + hour);
    const task = await seedTask(restaurant.id, { dueAt, priority: 'LOW' });
    const later = new Date(Date.now() + 3 * hour).toISOString();

    const changed = await gql(
      updateTask,
      { id: task.id, input: { priority: 'URGENT', title: 'Deep clean', dueAt: later } },
      manager.headers,
    );
    const cleared = await gql(updateTask, { id: task.id, input: { clearDueAt: true, description: 'Use gloves' } }, manager.headers);
    const nothing = await gql(updateTask, { id: task.id, input: {} }, manager.headers);
    const both = await gql(updateTask, { id: task.id, input: { clearDueAt: true, dueAt: later } }, manager.headers);
    const blankTitle = await gql(updateTask, { id: task.id, input: { title: '' } }, manager.headers);

    expect(changed.data.updateTask).toMatchObject({ priority: 'URGENT', title: 'Deep clean', dueAt: later });
    expect(cleared.data.updateTask).toMatchObject({ dueAt: null, description: 'Use gloves', priority: 'URGENT' });
    expect(nothing.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
    expect(both.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.clearDueAt' });
    expect(blankTitle.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.title' });
    const audit = await prisma().auditLog.findMany({ where: { entityId: task.id }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((row) => row.action)).toEqual(['task.update', 'task.update']);
    expect(audit[0]?.before).toMatchObject({ priority: 'LOW', title: 'Clean the fryer', dueAt: dueAt.toISOString() });
    expect(audit[0]?.after).toMatchObject({ priority: 'URGENT', title: 'Deep clean', dueAt: later });
    expect(audit[1]?.after).toMatchObject({ dueAt: null, description: 'Use gloves' });
  });

  it("lists the viewer's tasks across their restaurants, by status, most urgent first", async () => {
    const first = await setUp();
    const { restaurant: second } = await aRestaurant(prisma()).build();
    const left = await aRestaurant(prisma()).build();
    const me = first.staff;
    await prisma().membership.create({ data: { userId: me.user.id, restaurantId: second.id, role: 'STAFF' } });
    await forgetCachedAccess(server, [me.user.id]);
    const low = await seedTask(first.restaurant.id, { assigneeId: me.user.id, priority: 'LOW' });
    const urgent = await seedTask(second.id, { assigneeId: me.user.id, priority: 'URGENT' });
    const done = await seedTask(first.restaurant.id, { assigneeId: me.user.id, status: 'DONE' });
    await seedTask(first.restaurant.id, { assigneeId: first.otherStaff.user.id });
    // Assigned while a member of a restaurant they have since left: no longer theirs to see.
    await seedTask(left.restaurant.id, { assigneeId: me.user.id });
    const mine = 'query($status: TaskStatus) { myTasks(status: $status) { id restaurant { id } } }';

    const all = await gql(mine, {}, me.headers);
    const open = await gql(mine, { status: 'OPEN' }, me.headers);
    const anonymous = await gql(mine, {});

    expect(all.data.myTasks.map((task: Json) => task.id)).toEqual([urgent.id, done.id, low.id]);
    expect(open.data.myTasks.map((task: Json) => task.id)).toEqual([urgent.id, low.id]);
    expect(errorCode(anonymous)).toBe('UNAUTHENTICATED');
  });

  it('lists overdue tasks: not DONE and past due, longest overdue first', async () => {
    const { restaurant, staff } = await setUp();
    const now = Date.now();
    const longAgo = await seedTask(restaurant.id, { title: 'long ago', dueAt: new Date(now - 5 * hour) });
    const recently = await seedTask(restaurant.id, { title: 'recently', dueAt: new Date(now - hour), status: 'IN_PROGRESS' });
    await seedTask(restaurant.id, { title: 'done', dueAt: new Date(now - 2 * hour), status: 'DONE' });
    await seedTask(restaurant.id, { title: 'future', dueAt: new Date(now + hour) });
    await seedTask(restaurant.id, { title: 'no deadline' });
    const other = await aRestaurant(prisma()).build();
    await seedTask(other.restaurant.id, { title: 'elsewhere', dueAt: new Date(now - 9 * hour) });

    const body = await gql('query($r: ID!) { overdueTasks(restaurantId: $r) { id isOverdue } }', { r: restaurant.id }, staff.headers);

    expect(body.data.overdueTasks).toEqual([
      { id: longAgo.id, isOverdue: true },
      { id: recently.id, isOverdue: true },
    ]);
  });

  it('lists a restaurant’s tasks by status and assignee, and bounds `first`', async () => {
    const { restaurant, staff, otherStaff } = await setUp();
    await seedTask(restaurant.id, { title: 'a', priority: 'LOW', assigneeId: staff.user.id });
    await seedTask(restaurant.id, { title: 'b', priority: 'HIGH', assigneeId: otherStaff.user.id });
    await seedTask(restaurant.id, { title: 'c', priority: 'MEDIUM', status: 'DONE' });

    const all = await gql(listTasks, { r: restaurant.id, first: 10 }, staff.headers);
    const open = await gql(listTasks, { r: restaurant.id, first: 10, status: 'OPEN' }, staff.headers);
    const theirs = await gql(listTasks, { r: restaurant.id, first: 10, assigneeId: otherStaff.user.id }, staff.headers);
    const none = await gql(listTasks, { r: restaurant.id, first: 0 }, staff.headers);
    const mine = await gql('{ myTasks(first: 0) { id } }', {}, staff.headers);
    const overdue = await gql('query($r: ID!) { overdueTasks(restaurantId: $r, first: 0) { id } }', { r: restaurant.id }, staff.headers);

    expect(all.data.tasks.map((task: Json) => task.title)).toEqual(['b', 'c', 'a']);
    expect(open.data.tasks.map((task: Json) => task.title)).toEqual(['b', 'a']);
    expect(theirs.data.tasks.map((task: Json) => task.title)).toEqual(['b']);
    expect(none.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(mine.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(overdue.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    // Over 100 the query-limits plugin refuses the document before it runs; the service refuses it too.
    const tasks = createTasksService({ prisma: prisma(), events: server.infra.events });
    await expect(tasks.list(restaurant.id, { first: 101 })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'first' },
    });
  });

  it("keeps a restaurant's tasks from members of another: FORBIDDEN by restaurant, NOT_FOUND by id, nothing written", async () => {
    const { restaurant, staff } = await setUp();
    const task = await seedTask(restaurant.id, { assigneeId: staff.user.id });
    const outsider = (await setUp()).owner;

    const read = await gql(readTask, { id: task.id }, outsider.headers);
    const unknown = await gql(readTask, { id: 'no-such-task' }, outsider.headers);
    const list = await gql(listTasks, { r: restaurant.id, first: 10 }, outsider.headers);
    const overdue = await gql('query($r: ID!) { overdueTasks(restaurantId: $r) { id } }', { r: restaurant.id }, outsider.headers);
    const create = await gql(createTask, { input: { restaurantId: restaurant.id, title: 'Sneaky' } }, outsider.headers);
    const update = await gql(updateTask, { id: task.id, input: { title: 'Sneaky' } }, outsider.headers);
    const status = await gql(updateStatus, { id: task.id, status: 'DONE' }, outsider.headers);
    const assign = await gql(assignTask, { id: task.id, assigneeId: outsider.user.id }, outsider.headers);
    const anonymous = await gql(readTask, { id: task.id });

    expect(errorCode(read)).toBe('NOT_FOUND');
    expect(read.errors[0].message).toBe(unknown.errors[0].message.replace('no-such-task', task.id));
    expect([errorCode(list), errorCode(overdue), errorCode(create)]).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    expect([errorCode(update), errorCode(status), errorCode(assign)]).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
    expect(errorCode(anonymous)).toBe('UNAUTHENTICATED');
    expect(await prisma().task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      title: 'Clean the fryer',
      status: 'OPEN',
      assigneeId: staff.user.id,
    });
    expect(await prisma().task.count({ where: { restaurantId: restaurant.id } })).toBe(1);
    expect(await prisma().auditLog.count({ where: { restaurantId: restaurant.id } })).toBe(0);
  });

  it.each([5, 40])('resolves a task list with assignees and creators in a constant number of statements (%i tasks)', async (count) => {
    const { restaurant, manager, staff, otherStaff } = await setUp();
    const people = [staff.user.id, otherStaff.user.id, manager.user.id];
    await prisma().task.createMany({
      data: Array.from({ length: count }, (_, index) => ({
        restaurantId: restaurant.id,
        title: `task ${index}`,
        assigneeId: people[index % people.length],
        createdById: manager.user.id,
      })),
    });
    const query =
      'query($r: ID!) { tasks(restaurantId: $r, first: 100) { id assignee { id name } createdBy { name } restaurant { name } } }';

    let tasks: Json[] = [];
    const statements = await countStatements(server, async () => {
      const body = await gql(query, { r: restaurant.id }, manager.headers);
      expect(body.errors).toBeUndefined();
      tasks = body.data.tasks;
    });

    expect(tasks).toHaveLength(count);
    expect(new Set(tasks.map((task) => task.assignee.id))).toEqual(new Set(people));
    // The viewer's roles (user with memberships: one statement, relation joins), the task page, the users
    // (assignees and creators in one batch), the restaurant.
    expect(statements).toHaveLength(4);
  });
});
