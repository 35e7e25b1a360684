// The peer, same corpus, same Postgres: bench/peer/emmett.mjs in a process of its own (its packages
// are installed apart), fed the imported commands' events through a file.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext } from '../context.js';
import type { BenchCorpus } from '../corpus-lines.js';
import { recreateDatabase } from '../infra.js';
import { progress } from '../log.js';
import { peakRssMb, root, track } from '../processes.js';

export type PeerResult = {
  version: string;
  events: number;
  appendConcurrency: number;
  appendSeconds: number;
  appendEventsPerSec: number;
  projectionBatchSize: number;
  projectionPullingFrequencyMs: number;
  projectionSeconds: number;
  projectionEventsPerSec: number;
  positions: number;
  positionHistoryRows: number;
  peakRssMb: number;
};

async function writeCorpus(file: string, corpus: BenchCorpus, batches: number): Promise<void> {
  const out = createWriteStream(file);
  for (const batch of corpus.batches.slice(0, batches)) {
    const events = batch.events.map((event, index) => ({
      eventId: batch.eventIds[index], type: event.type, data: event.data, occurredAt: event.occurredAt, sources: event.sources, confidence: event.confidence,
    }));
    if (!out.write(`${JSON.stringify({ streamId: batch.streamId, events })}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export async function emmettPeer(context: BenchContext, corpus: BenchCorpus, batches: number, timeoutMs: number): Promise<PeerResult> {
  const databaseUrl = await recreateDatabase(`${context.database.name}_emmett`);
  const dir = mkdtempSync(join(tmpdir(), 'chancery-bench-peer-'));
  try {
    const file = join(dir, 'corpus.ndjson');
    await writeCorpus(file, corpus, batches);
    const child = spawn(process.execPath, ['--max-old-space-size=8192', join(root, 'bench', 'peer', 'emmett.mjs')], {
      env: { ...process.env, BENCH_PEER_DATABASE_URL: databaseUrl, BENCH_PEER_CORPUS: file, BENCH_PEER_CONCURRENCY: String(context.options.peerConcurrency) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-10_000);
      for (const line of chunk.toString().split('\n')) if (line.startsWith('[peer] ')) progress(line.slice(7));
    });
    const sampler = setInterval(() => (peak = Math.max(peak, peakRssMb(child.pid) ?? 0)), 500);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    track(child);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearTimeout(timer);
    clearInterval(sampler);
    if (code !== 0) throw new Error(`the emmett peer failed (${code ?? 'killed'}):\n${stderr}`);
    return { ...(JSON.parse(stdout.trim().split('\n').at(-1)!) as Omit<PeerResult, 'peakRssMb'>), peakRssMb: peak };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
