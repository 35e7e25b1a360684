// `chancery demo --icews`: imports the ICEWS 2018 sample (demo/icews) through the API, then prints
// the month's most conflictual pairs: by the Goldstein sum of their developments, with their
// tension index at the month's end.
import { fileURLToPath } from 'node:url';
import { type ApiClient } from '../api-client.js';
import { formatSummary, runImport } from '../import/import.command.js';
import { formatTable } from '../table.js';

const sampleFile = fileURLToPath(new URL('../../../../../demo/icews/events.2018.sample.tab', import.meta.url));
const month = { from: '2018-06-01', to: '2018-06-30' };

type TimelineItem = { parties: string[]; cameo: { quadClass: number; goldstein: number } | null; retracted: boolean };
type Page<Item> = { items: Item[]; nextCursor: string | null };
type PairFigures = { parties: [string, string]; events: number; conflict: number; goldsteinSum: number };

export async function runIcewsDemo(api: ApiClient, out: (line: string) => void, top = 10): Promise<void> {
  out('Importing the ICEWS 2018 sample (June 2018)…');
  for (const line of formatSummary(await runImport(api, 'icews', sampleFile, 2000))) out(line);

  // A development's pairs are its actor and each counterpart, as the relations count them.
  const pairs = new Map<string, PairFigures>();
  for (let cursor: string | null = '', pages = 0; cursor !== null && pages < 1000; pages++) {
    const page: Page<TimelineItem> = await api.get(`/v1/timeline?from=${month.from}&to=${month.to}T23:59:59Z&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    for (const item of page.items) {
      if (item.retracted || !item.cameo) continue;
      const [actor, ...counterparts] = item.parties;
      for (const counterpart of counterparts) {
        const parties = [actor!, counterpart].sort() as [string, string];
        const figures = pairs.get(parties.join(' ')) ?? { parties, events: 0, conflict: 0, goldsteinSum: 0 };
        figures.events++;
        if (item.cameo.quadClass >= 3) figures.conflict++;
        figures.goldsteinSum += item.cameo.goldstein;
        pairs.set(parties.join(' '), figures);
      }
    }
    cursor = page.nextCursor;
  }

  const worst = [...pairs.values()].sort((a, b) => a.goldsteinSum - b.goldsteinSum).slice(0, top);
  const names = new Map<string, string>();
  for (const id of new Set(worst.flatMap((pair) => pair.parties))) names.set(id, (await api.get<{ name: string }>(`/v1/parties/${encodeURIComponent(id)}`)).name);
  const rows: string[][] = [];
  for (const pair of worst) {
    const relation = await api.get<{ tension30d: number | null }>(`/v1/relations/${encodeURIComponent(pair.parties[0])}/${encodeURIComponent(pair.parties[1])}?from=${month.from}&to=${month.to}`);
    rows.push([names.get(pair.parties[0])!, names.get(pair.parties[1])!, String(pair.events), String(pair.conflict), pair.goldsteinSum.toFixed(1),
      relation.tension30d === null ? '—' : relation.tension30d.toFixed(2)]);
  }
  out('\nMost conflictual pairs, June 2018 (lowest Goldstein sum first)');
  out(formatTable(['party', 'party', 'events', 'conflict', 'Goldstein sum', 'tension 30d'], rows));
}
