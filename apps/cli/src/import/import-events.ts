// Streams an ICEWS or GDELT file into a running Chancery through POST /v1/import: rows mapped by
// the domain, sent in batches, each batch registering the parties it is the first to name.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { type ImportLine, type RowOutcome, gdeltEvent, icewsColumns, icewsEvent, importLinesOf, isRefusal } from '#domain';
import { type ApiClient } from '../api-client.js';

export type Dataset = 'icews' | 'gdelt';

export type RowRefused = { line: number; reason: string };

export type ImportSummary = {
  read: number;
  recorded: number;
  duplicates: number;
  refused: RowRefused[];
  partiesRegistered: number;
  /** Makes a read wait until the last batch is readable; undefined when nothing was sent. */
  consistencyToken?: string;
};

export type ImportProgress = { bytesRead: number; bytesTotal: number; read: number; recorded: number; duplicates: number; refused: number };

type ImportReport = { accepted: number; rejected: Array<{ line: number; status: number; detail: string }>; consistencyToken?: string };

/** One line sent, and the file line it came from. */
type SentLine = { fileLine: number; command: string };

/** The executor's answer to a stream that exists: 409, "development … already exists" / "party … is already registered". */
const alreadyExists = (status: number, detail: string) => status === 409 && /already (exists|registered)/.test(detail);

export async function importEvents(
  api: ApiClient,
  options: { dataset: Dataset; file: string; batchRows: number; onProgress?: (progress: ImportProgress) => void },
): Promise<ImportSummary> {
  const bytesTotal = (await stat(options.file)).size;
  const input = createReadStream(options.file);
  const rows = createInterface({ input, crlfDelay: Infinity });
  const summary: ImportSummary = { read: 0, recorded: 0, duplicates: 0, refused: [], partiesRegistered: 0 };
  // Parties this import has sent a registration for; one an earlier import registered is refused
  // as existing, which is what it should be.
  const sentParties = new Set<string>();
  const isNew = (partyId: string) => !sentParties.has(partyId) && (sentParties.add(partyId), true);

  let batch: SentLine[] = [];
  let body: string[] = [];
  let batchRows = 0;
  // The bytes of the rows taken so far: the stream reads ahead of them, so its own count would run early.
  let bytesRead = 0;
  const progress = () => options.onProgress?.({
    bytesRead, bytesTotal, read: summary.read, recorded: summary.recorded, duplicates: summary.duplicates, refused: summary.refused.length,
  });

  const send = async () => {
    if (body.length === 0) return;
    const sent = batch;
    const report = await api.post<ImportReport>('/v1/import', `${body.join('\n')}\n`, { 'content-type': 'application/x-ndjson' });
    batch = [];
    body = [];
    batchRows = 0;
    const rejected = new Map(report.rejected.map((rejection) => [rejection.line, rejection]));
    for (const [index, line] of sent.entries()) {
      const rejection = rejected.get(index + 1);
      const isParty = line.command === 'RegisterParty';
      if (!rejection) {
        if (isParty) summary.partiesRegistered++;
        else summary.recorded++;
      } else if (alreadyExists(rejection.status, rejection.detail)) {
        if (!isParty) summary.duplicates++;
      } else {
        summary.refused.push({ line: line.fileLine, reason: `${isParty ? 'its party: ' : ''}${rejection.detail} (HTTP ${rejection.status})` });
      }
    }
    summary.consistencyToken = report.consistencyToken ?? summary.consistencyToken;
    progress();
  };

  let lineNumber = 0;
  let columns: ReturnType<typeof icewsColumns> | undefined;
  for await (const row of rows) {
    lineNumber++;
    bytesRead += Buffer.byteLength(row) + 1;
    if (options.dataset === 'icews' && columns === undefined) {
      columns = icewsColumns(row);
      continue;
    }
    if (row.trim() === '') continue;
    summary.read++;
    const outcome: RowOutcome = options.dataset === 'icews' ? icewsEvent(row, columns!) : gdeltEvent(row);
    if (isRefusal(outcome)) {
      summary.refused.push({ line: lineNumber, reason: outcome.refused });
      continue;
    }
    for (const line of importLinesOf(outcome, isNew) as ImportLine[]) {
      batch.push({ fileLine: lineNumber, command: line.command });
      body.push(JSON.stringify(line));
    }
    if (++batchRows >= options.batchRows) await send();
  }
  await send();
  summary.refused.sort((a, b) => a.line - b.line);
  progress();
  return summary;
}
