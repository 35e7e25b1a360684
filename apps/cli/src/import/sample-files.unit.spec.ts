// The project's own event data files map whole: the ICEWS 2018 sample row for row, the GDELT test
// file but for the one-sided events it holds on purpose.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { type CodedEvent, gdeltEvent, icewsColumns, icewsEvent, isRefusal } from '#domain';

const rowsOf = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8').split('\n').filter((row) => row !== '');

describe('the demo event data', () => {
  it('maps every row of the ICEWS 2018 sample, each with its own development id', () => {
    const [header, ...rows] = rowsOf('../../../../demo/icews/events.2018.sample.tab') as [string, ...string[]];
    const columns = icewsColumns(header);
    const events = rows.map((row) => icewsEvent(row, columns));
    expect(events.filter(isRefusal)).toEqual([]);
    expect(rows).toHaveLength(3705);
    expect(new Set(events.map((event) => (event as CodedEvent).developmentId)).size).toBe(rows.length);
  });

  it('maps the GDELT test file but for its 20 one-sided events', () => {
    const events = rowsOf('../../../../demo/gdelt/events.sample.export.CSV').map(gdeltEvent);
    expect(events).toHaveLength(300);
    expect(events.filter(isRefusal)).toEqual(Array(20).fill({ refused: 'no Actor2Code' }));
  });
});
