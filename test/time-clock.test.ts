import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetCachedAccess } from './testkit/permission-cache.js';
import { aRestaurant, aTeam } from './testkit/seed-builder.js';
import { countStatements, errorCode, type Json, startTestServer, type TestServer } from './testkit/test-server.js';

const entryFields = 'id clockInAt clockOutAt durationMinutes note user { id } restaurant { id }';
const clockIn = `mutation($r: ID!) { clockIn(restaurantId: $r) { ${entryFields} } }`;
const clockOut = `mutation($r: ID!) { clockOut(restaurantId: $r) { ${entryFields} } }`;
const current = `query($r: ID!) { currentTimeEntry(restaurantId: $r) { ${entryFields} } }`;
const correct = `mutation($id: ID!, $input: CorrectTimeEntryInput!) { correctTimeEntry(id: $id, input: $input) { ${entryFields} } }`;
const listEntries =
  'query($r: ID!, $userId: ID, $first: Int! = 50) { timeEntries(restaurantId: $r, userId: $userId, first: $first) { id user { id } } }';
const hoursWorked = /* GraphQL */ `
  query($r: ID!, $from: DateTime!, $to: DateTime!, $groupBy: HoursGroupBy!, $userId: ID) {
    hoursWorked(restaurantId: $r, from: $from, to: $to, groupBy: $groupBy, userId: $userId) { user { id } periodStart minutes hours }
  }
`;

const minute = 60_000;
const hour = 60 * minute;

describe('time clock', () => {
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

  /** A time entry written directly: `shift(r, u, '2026-03-10T21:00:00Z', '2026-03-11T01:00:00Z')`. */
  const shift = (restaurantId: string, userId: string, clockInAt: string | Date, clockOutAt: string | Date | null) =>
    prisma().timeEntry.create({
      data: { restaurantId, userId, clockInAt: new Date(clockInAt), clockOutAt: clockOutAt ? new Date(clockOutAt) : null },
    });

  it('clocks a member in and out, refusing a second clock-in and a clock-out without one (CONFLICT), audited', async () => {
    const { restaurant, staff } = await setUp();

    const notYet = await gql(clockOut, { r: restaurant.id }, staff.headers);
    const started = await gql(clockIn, { r: restaurant.id }, staff.headers);
    const twice = await gql(clockIn, { r: restaurant.id }, staff.headers);
    const open = await gql(current, { r: restaurant.id }, staff.headers);
    const ended = await gql(clockOut, { r: restaurant.id }, staff.headers);
    const again = await gql(clockOut, { r: restaurant.id }, staff.headers);
    const closed = await gql(current, { r: restaurant.id }, staff.headers);

    expect(notYet.errors[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'NOT_CLOCKED_IN' });
    const entry = started.data.clockIn;
    expect(entry).toMatchObject({
      clockOutAt: null,
      durationMinutes: null,
      user: { id: staff.user.id },
      restaurant: { id: restaurant.id },
    });
    expect(Math.abs(Date.parse(entry.clockInAt) - Date.now())).toBeLessThan(minute);
    expect(twice.errors[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_CLOCKED_IN' });
    expect(open.data.currentTimeEntry.id).toBe(entry.id);
    expect(ended.data.clockOut).toMatchObject({ id: entry.id, durationMinutes: 0 });
    expect(Date.parse(ended.data.clockOut.clockOutAt)).toBeGreaterThanOrEqual(Date.parse(entry.clockInAt));
    expect(errorCode(again)).toBe('CONFLICT');
    expect(closed.data.currentTimeEntry).toBeNull();
    const audit = await prisma().auditLog.findMany({ where: { entityId: entry.id }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((row) => [row.action, row.actorId, (row.after as Json).clockOutAt === null])).toEqual([
      ['timeEntry.clockIn', staff.user.id, true],
      ['timeEntry.clockOut', staff.user.id, false],
    ]);
    expect(await prisma().timeEntry.count({ where: { restaurantId: restaurant.id } })).toBe(1);
  });

  it('lets exactly one of five concurrent clock-ins succeed; the database refuses a second open entry too', async () => {
    const { restaurant, manager } = await setUp();

    const answers = await Promise.all(Array.from({ length: 5 }, () => gql(clockIn, { r: restaurant.id }, manager.headers)));

    expect(answers.map((answer) => errorCode(answer) ?? 'OK').sort()).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'OK']);
    expect(await prisma().timeEntry.count({ where: { restaurantId: restaurant.id, clockOutAt: null } })).toBe(1);
    expect(await prisma().auditLog.count({ where: { restaurantId: restaurant.id, action: 'timeEntry.clockIn' } })).toBe(1);
    // The partial unique index "TimeEntry_one_open_entry_key" holds even past the service.
    await expect(shift(restaurant.id, manager.user.id, new Date(), null)).rejects.toMatchObject({ code: 'P2002' });
  });

  it('keeps each clock per restaurant: one open entry at each of two restaurants', async () => {
    const { restaurant, staff } = await setUp();
    const { restaurant: second } = await aRestaurant(prisma()).build();
    await prisma().membership.create({ data: { userId: staff.user.id, restaurantId: second.id, role: 'STAFF' } });
    await forgetCachedAccess(server, [staff.user.id]);

    const here = await gql(clockIn, { r: restaurant.id }, staff.headers);
    const there = await gql(clockIn, { r: second.id }, staff.headers);

    expect([here.errors, there.errors]).toEqual([undefined, undefined]);
    expect(await prisma().timeEntry.count({ where: { userId: staff.user.id, clockOutAt: null } })).toBe(2);
  });

  it('lets a manager correct an entry (a forgotten clock-out), audited before and after', async () => {
    const { restaurant, manager, staff } = await setUp();
    const started = new Date(Date.now() - 10 * hour);
    const entry = await shift(restaurant.id, staff.user.id, started, null);
    const clockOutAt = new Date(started.getTime() + 8 * hour + 30 * minute).toISOString();

    const body = await gql(correct, { id: entry.id, input: { clockOutAt, note: 'Forgot to <b>clock out</b>' } }, manager.headers);

    expect(body.errors).toBeUndefined();
    expect(body.data.correctTimeEntry).toMatchObject({ clockOutAt, durationMinutes: 510, note: 'Forgot to clock out' });
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { entityId: entry.id } });
    expect(audit).toMatchObject({
      action: 'timeEntry.correct',
      actorId: manager.user.id,
      restaurantId: restaurant.id,
      before: { userId: staff.user.id, clockInAt: started.toISOString(), clockOutAt: null, note: null },
      after: { userId: staff.user.id, clockInAt: started.toISOString(), clockOutAt, note: 'Forgot to clock out' },
    });
  });

  it('validates corrections: clock-out after clock-in, nothing in the future, no overlap; staff may not correct', async () => {
    const { restaurant, manager, staff } = await setUp();
    const base = Date.now() - 48 * hour;
    const entry = await shift(restaurant.id, staff.user.id, new Date(base), new Date(base + 4 * hour));
    const next = await shift(restaurant.id, staff.user.id, new Date(base + 6 * hour), new Date(base + 9 * hour));
    const at = (offset: number) => new Date(base + offset).toISOString();
    const attempt = (input: Record<string, unknown>, headers = manager.headers) => gql(correct, { id: entry.id, input }, headers);

    const backwards = await attempt({ clockOutAt: at(-hour) });
    const inAfterOut = await attempt({ clockInAt: at(5 * hour) });
    const future = await attempt({ clockInAt: new Date(Date.now() + hour).toISOString() });
    const nothing = await attempt({});
    const overlap = await attempt({ clockOutAt: at(7 * hour) });
    const byStaff = await attempt({ clockOutAt: at(3 * hour) }, staff.headers);

    expect(backwards.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.clockOutAt' });
    expect(inAfterOut.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.clockInAt' });
    expect(future.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.clockInAt' });
    expect(nothing.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
    expect(overlap.errors[0].extensions).toMatchObject({ code: 'CONFLICT', overlapsId: next.id });
    // correctTimeEntry is for managers: @auth answers a staff member as it would an unknown id.
    expect(errorCode(byStaff)).toBe('NOT_FOUND');
    expect(await prisma().timeEntry.findUniqueOrThrow({ where: { id: entry.id } })).toMatchObject({
      clockInAt: new Date(base),
      clockOutAt: new Date(base + 4 * hour),
    });
    expect(await prisma().auditLog.count({ where: { restaurantId: restaurant.id } })).toBe(0);
  });

  it("shows staff only their own entries (FORBIDDEN for someone else's), managers everyone's", async () => {
    const { restaurant, manager, staff, otherStaff } = await setUp();
    const mine = await shift(restaurant.id, staff.user.id, new Date(Date.now() - 5 * hour), new Date(Date.now() - 4 * hour));
    const theirs = await shift(restaurant.id, otherStaff.user.id, new Date(Date.now() - 3 * hour), new Date(Date.now() - 2 * hour));

    const own = await gql(listEntries, { r: restaurant.id }, staff.headers);
    const snooping = await gql(listEntries, { r: restaurant.id, userId: otherStaff.user.id }, staff.headers);
    const everyone = await gql(listEntries, { r: restaurant.id }, manager.headers);
    const one = await gql(listEntries, { r: restaurant.id, userId: otherStaff.user.id }, manager.headers);
    const none = await gql(listEntries, { r: restaurant.id, first: 0 }, manager.headers);

    expect(own.data.timeEntries).toEqual([{ id: mine.id, user: { id: staff.user.id } }]);
    expect(errorCode(snooping)).toBe('FORBIDDEN');
    expect(everyone.data.timeEntries.map((entry: Json) => entry.id)).toEqual([theirs.id, mine.id]);
    expect(one.data.timeEntries.map((entry: Json) => entry.id)).toEqual([theirs.id]);
    expect(none.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('counts hours per day in the restaurant time zone, splitting shifts at local midnight', async () => {
    const { restaurant, manager, staff, otherStaff } = await setUp();
    const r = restaurant.id;
    // Europe/Paris is UTC+1 in early March.
    await shift(r, staff.user.id, '2026-03-10T21:00:00Z', '2026-03-11T01:00:00Z'); // 22:00–02:00 local: 2 h + 2 h
    await shift(r, staff.user.id, '2026-03-11T08:00:00Z', '2026-03-11T11:30:00Z'); // 09:00–12:30 local: 3.5 h
    await shift(r, staff.user.id, '2026-03-11T23:30:00Z', '2026-03-12T01:00:00Z'); // 00:30–02:00 on the 12th, local
    await shift(r, otherStaff.user.id, '2026-03-11T16:00:00Z', '2026-03-11T20:20:00Z'); // 4 h 20
    await shift(r, staff.user.id, '2026-03-20T10:00:00Z', '2026-03-20T12:00:00Z'); // outside the range
    const elsewhere = await aRestaurant(prisma()).build();
    await shift(elsewhere.restaurant.id, staff.user.id, '2026-03-11T12:00:00Z', '2026-03-11T14:00:00Z');
    const range = { r, from: '2026-03-09T23:00:00Z', to: '2026-03-12T23:00:00Z', groupBy: 'DAY' }; // local 10th–12th

    const body = await gql(hoursWorked, range, manager.headers);

    expect(body.errors).toBeUndefined();
    const rows = body.data.hoursWorked.map((row: Json) => [row.periodStart, row.user.id, row.minutes, row.hours]);
    // Ordered by period, then user id.
    const eleventh = [
      ['2026-03-11', staff.user.id, 330, 5.5],
      ['2026-03-11', otherStaff.user.id, 260, 4.33],
    ].sort((a, b) => (String(a[1]) < String(b[1]) ? -1 : 1));
    expect(rows).toEqual([['2026-03-10', staff.user.id, 120, 2], ...eleventh, ['2026-03-12', staff.user.id, 90, 1.5]]);
  });

  it('groups by ISO week from Monday, splits a shift over the week boundary, and clips to the range', async () => {
    const { restaurant, staff } = await setUp();
    const r = restaurant.id;
    await shift(r, staff.user.id, '2026-03-09T08:00:00Z', '2026-03-09T10:00:00Z'); // Monday 9th: 2 h
    await shift(r, staff.user.id, '2026-03-15T22:00:00Z', '2026-03-16T00:00:00Z'); // Sun 23:00 – Mon 01:00 local
    await shift(r, staff.user.id, '2026-03-17T08:00:00Z', '2026-03-17T12:00:00Z'); // clipped to 10:00 by `to`

    const body = await gql(hoursWorked, { r, from: '2026-03-08T23:00:00Z', to: '2026-03-17T10:00:00Z', groupBy: 'WEEK' }, staff.headers);

    expect(body.data.hoursWorked.map((row: Json) => [row.periodStart, row.minutes])).toEqual([
      ['2026-03-09', 180],
      ['2026-03-16', 60 + 120],
    ]);
  });

  it('counts real elapsed time on a DST day, and an open shift until now', async () => {
    const { restaurant, staff } = await setUp();
    const r = restaurant.id;
    // 29 March 2026: Paris skips 02:00–03:00. 00:00–04:00 local is three hours of work.
    await shift(r, staff.user.id, '2026-03-28T23:00:00Z', '2026-03-29T02:00:00Z');
    const dst = await gql(hoursWorked, { r, from: '2026-03-28T23:00:00Z', to: '2026-03-29T22:00:00Z', groupBy: 'DAY' }, staff.headers);
    expect(dst.data.hoursWorked.map((row: Json) => [row.periodStart, row.minutes])).toEqual([['2026-03-29', 180]]);

    const { restaurant: open } = await aRestaurant(prisma()).build();
    await prisma().membership.create({ data: { userId: staff.user.id, restaurantId: open.id, role: 'STAFF' } });
    await forgetCachedAccess(server, [staff.user.id]);
    await shift(open.id, staff.user.id, new Date(Date.now() - 90 * minute), null);
    const range = { r: open.id, from: new Date(Date.now() - 3 * hour).toISOString(), to: new Date(Date.now() + hour).toISOString() };
    const running = await gql(hoursWorked, { ...range, groupBy: 'DAY' }, staff.headers);
    const total = running.data.hoursWorked.reduce((sum: number, row: Json) => sum + row.minutes, 0);
    expect(total).toBeGreaterThanOrEqual(89);
    expect(total).toBeLessThanOrEqual(91);
  });

  it('shows staff only their own hours, refuses bad ranges, and sums in one SQL statement', async () => {
    const { restaurant, staff, otherStaff } = await setUp();
    const r = restaurant.id;
    await shift(r, staff.user.id, '2026-03-11T08:00:00Z', '2026-03-11T09:00:00Z');
    await shift(r, otherStaff.user.id, '2026-03-11T08:00:00Z', '2026-03-11T10:00:00Z');
    const range = { r, from: '2026-03-10T23:00:00Z', to: '2026-03-11T23:00:00Z', groupBy: 'DAY' };

    let own: Json;
    const statements = await countStatements(server, async () => {
      own = await gql(hoursWorked, range, staff.headers);
    });
    const snooping = await gql(hoursWorked, { ...range, userId: otherStaff.user.id }, staff.headers);
    const backwards = await gql(hoursWorked, { ...range, to: range.from }, staff.headers);
    const tooLong = await gql(hoursWorked, { ...range, to: '2027-03-12T00:00:00Z' }, staff.headers);

    expect(own.data.hoursWorked).toEqual([{ user: { id: staff.user.id }, periodStart: '2026-03-11', minutes: 60, hours: 1 }]);
    expect(errorCode(snooping)).toBe('FORBIDDEN');
    expect(backwards.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    expect(tooLong.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    const timeEntryStatements = statements.filter((sql) => sql.includes('"TimeEntry"'));
    expect(timeEntryStatements).toHaveLength(1);
    expect(timeEntryStatements[0]).toMatch(/sum\(worked\)/);
  });

  it("keeps a restaurant's clock from members of another: FORBIDDEN by restaurant, NOT_FOUND by id, nothing written", async () => {
    const { restaurant, staff } = await setUp();
    const entry = await shift(restaurant.id, staff.user.id, new Date(Date.now() - 2 * hour), null);
    const outsider = (await setUp()).owner;
    const range = { r: restaurant.id, from: new Date(Date.now() - 3 * hour).toISOString(), to: new Date().toISOString(), groupBy: 'DAY' };

    const answers = {
      clockIn: await gql(clockIn, { r: restaurant.id }, outsider.headers),
      clockOut: await gql(clockOut, { r: restaurant.id }, outsider.headers),
      current: await gql(current, { r: restaurant.id }, outsider.headers),
      list: await gql(listEntries, { r: restaurant.id }, outsider.headers),
      hours: await gql(hoursWorked, range, outsider.headers),
      correct: await gql(correct, { id: entry.id, input: { clockOutAt: new Date().toISOString() } }, outsider.headers),
      anonymous: await gql(clockIn, { r: restaurant.id }),
    };

    expect(Object.fromEntries(Object.entries(answers).map(([name, body]) => [name, errorCode(body)]))).toEqual({
      clockIn: 'FORBIDDEN',
      clockOut: 'FORBIDDEN',
      current: 'FORBIDDEN',
      list: 'FORBIDDEN',
      hours: 'FORBIDDEN',
      correct: 'NOT_FOUND',
      anonymous: 'UNAUTHENTICATED',
    });
    expect(await prisma().timeEntry.findUniqueOrThrow({ where: { id: entry.id } })).toMatchObject({ clockOutAt: null });
    expect(await prisma().timeEntry.count({ where: { restaurantId: restaurant.id } })).toBe(1);
    expect(await prisma().auditLog.count({ where: { restaurantId: restaurant.id } })).toBe(0);
  });
});
