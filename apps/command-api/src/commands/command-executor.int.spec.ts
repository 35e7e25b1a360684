// Two command-api instances on one journal: each keeps the streams it folded, and must still decide
// on what the other appended meanwhile.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { ChanceryCommand } from '#domain';
import { Journal } from '#journal';
import { ProblemError } from '#platform';
import { createTestDatabase, type TestDatabase } from '#testing';
import { type BatchItem, CommandExecutor, type CommandMeta } from './command-executor.js';

const provenance = { occurredAt: '2022-01-12', sources: [{ citation: 'IRNA quoting Reuters', outlet: 'IRNA', via: 'Reuters' }] };

const meta: CommandMeta = {
  principal: { name: 'analyst', role: 'writer' },
  correlationId: 'executor-int',
  resourceId: (eventIds) => eventIds[0]!,
};

const registerParty = (id: string): ChanceryCommand => ({ type: 'RegisterParty', data: { id, name: id, kind: 'state' } });
const registerIssue = (id: string): ChanceryCommand => ({ type: 'RegisterIssue', data: { id, title: id } }) as ChanceryCommand;
const issueDemand = (demandId: string): ChanceryCommand => ({
  type: 'IssueDemand',
  data: { demandId, by: 'RUS', addressedTo: ['NATO', 'USA'], issue: 'nato-open-door', summary: 'No further enlargement', ...provenance },
});
const answer = (type: 'RejectDemand' | 'AcceptDemand' | 'WithdrawDemand', demandId: string, by: string): ChanceryCommand =>
  ({ type, data: { demandId, by, ...provenance } }) as ChanceryCommand;

async function problemOf(running: Promise<unknown>): Promise<ProblemError['problem']> {
  try {
    await running;
  } catch (error) {
    if (error instanceof ProblemError) return error.problem;
    throw error;
  }
  throw new Error('the command was accepted');
}

describe('command executors of two instances on one journal', () => {
  let database: TestDatabase;
  let pools: pg.Pool[];
  let here: CommandExecutor;
  let there: CommandExecutor;

  beforeAll(async () => {
    database = await createTestDatabase();
    pools = [new pg.Pool({ connectionString: database.url }), new pg.Pool({ connectionString: database.url })];
    // As the server's pool does: a connection still closing when the database is dropped after the
    // tests must not surface as an unhandled error.
    for (const pool of pools) pool.on('connect', (client) => client.on('error', () => {}));
    here = new CommandExecutor(new Journal(pools[0]!));
    there = new CommandExecutor(new Journal(pools[1]!));
    for (const command of [registerParty('RUS'), registerParty('NATO'), registerParty('USA'), registerIssue('nato-open-door')]) {
      await here.execute(command, meta);
    }
  });

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await database.drop();
  });

  it('refuses a repeat of an answer the other instance already recorded, though this one folded the demand before it', async () => {
    await here.execute(issueDemand('d-1'), meta);
    const rejected = await there.execute(answer('RejectDemand', 'd-1', 'NATO'), meta);
    const refused = await problemOf(here.execute(answer('RejectDemand', 'd-1', 'NATO'), meta));
    expect(refused.status).toBe(409);
    // A changed answer is decided on what the other instance recorded: it supersedes that rejection.
    const changed = await here.execute(answer('AcceptDemand', 'd-1', 'NATO'), meta);
    expect(changed.version).toBe(3);
    const { rows } = await pools[0]!.query("SELECT data->'supersedes' AS supersedes FROM journal WHERE event_id = $1", [changed.eventIds[0]]);
    expect(rows[0].supersedes).toEqual({ eventId: rejected.eventIds[0], answer: 'rejected' });
    // And what the other instance left open is still open here.
    const accepted = await here.execute(answer('AcceptDemand', 'd-1', 'USA'), meta);
    expect(accepted.version).toBe(4);
  });

  it('accepts a command that only the other instance\'s events make possible', async () => {
    // Folded here while the demand did not exist yet: a 404 that must not stick.
    expect((await problemOf(here.execute(answer('RejectDemand', 'd-2', 'NATO'), meta))).status).toBe(404);
    await there.execute(issueDemand('d-2'), meta);
    expect((await here.execute(answer('RejectDemand', 'd-2', 'NATO'), meta)).version).toBe(2);
  });

  it('refuses a demand whose id the other instance took, though this one never saw that stream', async () => {
    await there.execute(issueDemand('d-7'), meta);
    const taken = await problemOf(here.execute(issueDemand('d-7'), meta));
    expect(taken.status).toBe(409);
    expect((await here.execute(answer('RejectDemand', 'd-7', 'NATO'), meta)).version).toBe(2);
  });

  it('appends a command decided on a stream the other instance moved at the right version (If-Match sees the current version)', async () => {
    await here.execute(issueDemand('d-3'), meta);
    await there.execute(answer('RejectDemand', 'd-3', 'NATO'), meta);
    const stale = await problemOf(here.execute(answer('RejectDemand', 'd-3', 'USA'), { ...meta, expectedVersion: 1 }));
    expect(stale.status).toBe(409);
    expect(stale.currentVersion).toBe(2);
    expect((await here.execute(answer('RejectDemand', 'd-3', 'USA'), { ...meta, expectedVersion: 2 })).version).toBe(3);
  });

  it('imports a chunk against streams the other instance moved since the previous chunk', async () => {
    const items = (commands: ChanceryCommand[]): BatchItem[] => commands.map((command) => ({ command, meta }));
    const first = await here.executeMany(items([issueDemand('d-4'), issueDemand('d-5')]));
    expect(first.every((outcome) => 'response' in outcome)).toBe(true);
    await there.execute(answer('WithdrawDemand', 'd-4', 'RUS'), meta);
    await there.execute(answer('AcceptDemand', 'd-5', 'NATO'), meta);
    const second = await here.executeMany(items([
      answer('RejectDemand', 'd-4', 'NATO'), // withdrawn meanwhile: refused
      answer('AcceptDemand', 'd-5', 'NATO'), // answered meanwhile: refused
      answer('RejectDemand', 'd-5', 'USA'), // still open for USA: at version 3, after the other instance's answer
    ]));
    expect(second.map((outcome) => ('problem' in outcome ? outcome.problem.problem.status : outcome.response.version))).toEqual([409, 409, 3]);
  });

  it('imports a retraction and another command on the same stream in one chunk, and the next chunk sees both', async () => {
    const issued = await here.execute(issueDemand('d-6'), meta);
    const items = (commands: ChanceryCommand[]): BatchItem[] => commands.map((command) => ({ command, meta }));
    const chunk = await here.executeMany(items([
      answer('RejectDemand', 'd-6', 'NATO'),
      { type: 'RetractEvent', data: { eventId: issued.eventIds[0]!, reason: 'misreported' } } as ChanceryCommand,
    ]));
    expect(chunk.map((outcome) => ('response' in outcome ? outcome.response.version : outcome.problem.problem.status))).toEqual([2, 3]);
    const again = await here.executeMany(items([
      { type: 'RetractEvent', data: { eventId: issued.eventIds[0]!, reason: 'twice' } } as ChanceryCommand,
    ]));
    expect('problem' in again[0]! && again[0].problem.problem.status).toBe(409);
  });
});
