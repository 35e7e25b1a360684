// Writes an ICEWS-form file of N rows (default 100,000) for timing `chancery import icews`: the
// 2018 sample's rows over and over, each with an event id of its own and a date spread over 2018,
// so the actors, codes and scores are as real as the sample's. Usage: node bench/make-icews-file.mjs <out> [rows]
import { createWriteStream, readFileSync } from 'node:fs';

const [out, count = '100000'] = process.argv.slice(2);
if (!out) throw new Error('usage: node bench/make-icews-file.mjs <out> [rows]');
const [header, ...rows] = readFileSync(new URL('../demo/icews/events.2018.sample.tab', import.meta.url), 'utf8').split('\n').filter((row) => row !== '');
const file = createWriteStream(out);
file.write(`${header}\n`);
for (let index = 0; index < Number(count); index++) {
  const fields = rows[index % rows.length].split('\t');
  fields[0] = String(50_000_000 + index);
  fields[1] = new Date(Date.UTC(2018, 0, 1 + (index % 365))).toISOString().slice(0, 10);
  if (!file.write(`${fields.join('\t')}\n`)) await new Promise((resolve) => file.once('drain', resolve));
}
file.end();
