import { describe, expect, it } from '@jest/globals';
import { chanceryEventTypes } from '#domain';
import { corpus } from './corpus.js';

describe('synthetic corpus', () => {
  it('is the same history for the same seed, and a realistic mix of every kind of development', () => {
    const first = [...corpus({ seed: 7, commands: 3_000 })];
    const second = [...corpus({ seed: 7, commands: 3_000 })];
    expect(second).toEqual(first);
    const types = new Set(first.flatMap((batch) => batch.events.map((event) => event.type)));
    expect([...types].sort()).toEqual([...chanceryEventTypes].sort());
  });

  it('numbers each stream from version 1 without gaps: retractions land in the retracted event\'s stream', () => {
    const versions = new Map<string, number>();
    const ids = new Map<string, string>();
    for (const batch of corpus({ seed: 3, commands: 2_000 })) {
      for (const [index, event] of batch.events.entries()) {
        versions.set(batch.streamId, (versions.get(batch.streamId) ?? 0) + 1);
        ids.set(batch.eventIds[index]!, batch.streamId);
        if (event.type === 'EventRetracted') expect(ids.get(event.data.retractedEventId)).toBe(batch.streamId);
      }
    }
    expect(versions.size).toBeGreaterThan(500);
  });
});
