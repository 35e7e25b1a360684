import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, newEvent, type TestDatabase } from '#testing';
import { IdempotencyKeyReused, Journal, StreamVersionConflict } from './journal.js';

describe('journal on a real Postgres', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let journal: Journal;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 20 });
    // As the server's pool does: a connection still closing when the database is dropped after the
    // tests must not surface as an unhandled error.
    pool.on('connect', (client) => client.on('error', () => {}));
    journal = new Journal(pool);
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  const respond = (events: { eventId: string; streamVersion: number }[]) => ({
    version: events.at(-1)!.streamVersion,
    eventIds: events.map((event) => event.eventId),
  });

  it('appends a command\'s events together at consecutive versions and reads them back in order', async () => {
    const outcome = await journal.append({
      streamId: 'demand-a', expectedVersion: 0, respond,
      events: [newEvent({ type: 'DemandIssued' }), newEvent({ type: 'DemandRejected' })],
    });
    expect(outcome.kind).toBe('appended');
    const stream = await journal.readStream('demand-a');
    expect(stream.map((event) => [event.type, event.streamVersion])).toEqual([['DemandIssued', 1], ['DemandRejected', 2]]);
    expect(Number(stream[1]!.globalPosition)).toBeGreaterThan(Number(stream[0]!.globalPosition));
  });

  it('lets exactly one of 20 concurrent appends at the same version win', async () => {
    await journal.append({ streamId: 'demand-race', expectedVersion: 0, respond, events: [newEvent()] });
    const attempts = await Promise.allSettled(Array.from({ length: 20 }, () =>
      journal.append({ streamId: 'demand-race', expectedVersion: 1, respond, events: [newEvent()] })));
    const won = attempts.filter((attempt) => attempt.status === 'fulfilled');
    const lost = attempts.filter((attempt): attempt is PromiseRejectedResult => attempt.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    for (const failure of lost) expect(failure.reason).toBeInstanceOf(StreamVersionConflict);
    expect((await journal.readStream('demand-race')).map((event) => event.streamVersion)).toEqual([1, 2]);
  });

  it('returns the first response for a repeated idempotency key and appends nothing more', async () => {
    const claim = { principal: 'analyst', key: 'key-1', request: '{"summary":"withdraw troops"}' };
    const first = await journal.append({ streamId: 'demand-idem', expectedVersion: 0, respond, idempotency: claim, events: [newEvent()] });
    // Repeats, some at once: the key's row makes the late ones wait for the first to commit.
    const repeats = await Promise.all(Array.from({ length: 5 }, () =>
      journal.append({ streamId: 'demand-idem', expectedVersion: 0, respond, idempotency: claim, events: [newEvent()] })));
    for (const repeat of repeats) {
      expect(repeat.kind).toBe('repeated');
      expect(repeat.response).toEqual(first.response);
    }
    expect(await journal.readStream('demand-idem')).toHaveLength(1);
  });

  it('refuses an idempotency key reused for a different request', async () => {
    const claim = { principal: 'analyst', key: 'key-2', request: 'one' };
    await journal.append({ streamId: 'demand-idem-2', expectedVersion: 0, respond, idempotency: claim, events: [newEvent()] });
    await expect(journal.append({
      streamId: 'demand-idem-2', expectedVersion: 1, respond, idempotency: { ...claim, request: 'two' }, events: [newEvent()],
    })).rejects.toThrow(IdempotencyKeyReused);
    expect(await journal.readStream('demand-idem-2')).toHaveLength(1);
  });

  it('knows which streams exist and which stream holds an event', async () => {
    const event = newEvent({ type: 'PartyRegistered' });
    await journal.append({ streamId: 'party-RUS', expectedVersion: 0, respond, events: [event] });
    expect(await journal.existingStreams(['party-RUS', 'party-NATO'])).toEqual(new Set(['party-RUS']));
    expect(await journal.streamOfEvent(event.eventId)).toBe('party-RUS');
  });

  it('reads what streams gained after a version, including a stream another writer moved', async () => {
    await journal.append({ streamId: 'demand-after', expectedVersion: 0, respond, events: [newEvent(), newEvent()] });
    await journal.appendMany([
      { streamId: 'demand-after', expectedVersion: 2, events: [newEvent()] },
      { streamId: 'meeting-after', expectedVersion: 0, events: [newEvent(), newEvent()] },
    ]);
    const read = await journal.readStreamsAfter(new Map([['demand-after', 2], ['meeting-after', 0], ['warning-none', 0], ['party-after-none', 3]]));
    expect(read.get('demand-after')!.map((event) => event.streamVersion)).toEqual([3]);
    expect(read.get('meeting-after')!.map((event) => event.streamVersion)).toEqual([1, 2]);
    expect(read.get('warning-none')).toEqual([]);
    expect(read.get('party-after-none')).toEqual([]);
    expect((await journal.readStreamsAfter(new Map([['demand-after', 3]]))).get('demand-after')).toEqual([]);
  });

  it('appends a batch of streams all or nothing: one stale stream refuses the whole batch', async () => {
    await journal.append({ streamId: 'demand-batch', expectedVersion: 0, respond, events: [newEvent()] });
    await expect(journal.appendMany([
      { streamId: 'demand-batch-new', expectedVersion: 0, events: [newEvent()] },
      { streamId: 'demand-batch', expectedVersion: 0, events: [newEvent()] },
    ])).rejects.toThrow(StreamVersionConflict);
    expect(await journal.readStream('demand-batch-new')).toHaveLength(0);
    expect(await journal.readStream('demand-batch')).toHaveLength(1);
  });

  it('stores an idempotency key with its events or not at all: a conflict leaves the key free', async () => {
    const claim = { principal: 'analyst', key: 'key-3', request: 'three' };
    await journal.append({ streamId: 'demand-idem-3', expectedVersion: 0, respond, events: [newEvent()] });
    await expect(journal.append({ streamId: 'demand-idem-3', expectedVersion: 0, respond, idempotency: claim, events: [newEvent()] }))
      .rejects.toThrow(StreamVersionConflict);
    expect(await journal.idempotentResponse(claim)).toBeUndefined();
    const retried = await journal.append({ streamId: 'demand-idem-3', expectedVersion: 1, respond, idempotency: claim, events: [newEvent()] });
    expect(retried.kind).toBe('appended');
    expect(await journal.idempotentResponse(claim)).toEqual(retried.response);
  });
});
