import { describe, expect, it } from '@jest/globals';
import { PartialSend, recordPositions } from './producer.js';

const answer = (partition: number, baseOffset: string) => ({ topicName: 'chancery.events', partition, errorCode: 0, baseOffset });

describe('where a send put each record', () => {
  it('counts each partition on from its batch base offset, in input order', () => {
    expect(recordPositions([2, 0, 2, 2, 0], [answer(0, '40'), answer(2, '7')])).toEqual([
      { partition: 2, offset: '7' }, { partition: 0, offset: '40' }, { partition: 2, offset: '8' },
      { partition: 2, offset: '9' }, { partition: 0, offset: '41' },
    ]);
  });

  // A leader SIGKILLed mid-send (the cluster test): kafkajs's retry skipped the broker its partitions
  // moved to, which had answered for others, and resolved without them. The old code took the missing
  // partition's offset as undefined and failed on BigInt arithmetic, by chance rather than by design.
  it('refuses a send that was answered for only some of its partitions', () => {
    expect(() => recordPositions([0, 1, 2], [answer(0, '5'), answer(2, '9')])).toThrow(PartialSend);
    expect(() => recordPositions([0, 1, 2], [answer(0, '5'), answer(2, '9')])).toThrow('not for 1: it is sent again whole');
  });
});
