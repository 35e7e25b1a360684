// `chancery demo`: loads the seed article's developments into a running Chancery through the HTTP
// API, then prints each party's positions and the open demands.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ApiError, apiClient } from '../api-client.js';
import { formatTable } from '../table.js';

const seedFile = fileURLToPath(new URL('../../../../../demo/seed-article.ndjson', import.meta.url));

type Page<Item> = { items: Item[]; nextCursor: string | null };
type Party = { id: string; name: string; kind: string };
type Positions = { party: string; positions: Array<{ issue: string; stance: string; summary: string; since: string }> };
type Demand = { id: string; by: string; addressedTo: string[]; issue: string; summary: string; status: string; responses: Array<{ party: string; response: string }> };

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

export async function runDemo(options: { url: string; key: string; out?: (line: string) => void }): Promise<void> {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const api = apiClient(options.url, options.key);

  let token: string | undefined;
  const loaded = await api.get('/v1/parties/NATO').then(() => true, (error: unknown) => {
    if (error instanceof ApiError && error.status === 404) return false;
    throw error;
  });
  if (loaded) {
    out('The seed article is already loaded; showing what Chancery knows.');
  } else {
    const report = await api.post<{ accepted: number; rejected: Array<{ line: number; status: number; detail: string }>; consistencyToken: string }>(
      '/v1/import', await readFile(seedFile, 'utf8'), { 'content-type': 'application/x-ndjson' });
    out(`Imported the seed article: ${report.accepted} lines accepted, ${report.rejected.length} rejected.`);
    for (const rejection of report.rejected) out(`  line ${rejection.line}: ${rejection.status} ${rejection.detail}`);
    token = report.consistencyToken;
  }
  const wait: Record<string, string> = token ? { 'x-consistency-token': token } : {};

  const parties = await api.get<Page<Party>>('/v1/parties?limit=500', wait);
  const rows: string[][] = [];
  for (const party of parties.items) {
    const { positions } = await api.get<Positions>(`/v1/parties/${encodeURIComponent(party.id)}/positions`);
    for (const position of positions) rows.push([party.id, position.issue, position.stance, position.since, truncate(position.summary, 60)]);
  }
  out('\nPositions');
  out(formatTable(['party', 'issue', 'stance', 'since', 'summary'], rows));

  const demands = await api.get<Page<Demand>>('/v1/demands?status=open&limit=500');
  out('\nOpen demands');
  out(formatTable(['demand', 'by', 'addressed to', 'issue', 'answered by', 'summary'], demands.items.map((demand) => [
    demand.id, demand.by, demand.addressedTo.join(', '), demand.issue,
    demand.responses.map((response) => `${response.party} (${response.response})`).join(', ') || '—',
    truncate(demand.summary, 50),
  ])));
}
