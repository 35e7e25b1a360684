// Writes records to one topic, idempotently and in order per key; reports where each one landed.
import { Logger } from '@nestjs/common';
import kafkajs, { type Kafka, type Producer, type RecordMetadata } from 'kafkajs';

const { CompressionTypes, Partitioners } = kafkajs;

export type LogRecord = { key: string; value: Buffer | string; headers: Record<string, string> };
export type RecordPosition = { partition: number; offset: string };

// Kafka's own (Java-compatible murmur2) key → partition mapping, applied by us so we know, per
// record, which partition it went to and therefore its offset.
const defaultPartitioner = Partitioners.DefaultPartitioner();

export function partitionFor(topic: string, key: string, partitionCount: number): number {
  const partitionMetadata = Array.from({ length: partitionCount }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
  return defaultPartitioner({ topic, partitionMetadata, message: { key, value: null } });
}

/** Kafka acknowledged part of a send only: the caller must treat the whole send as failed and send it again. */
export class PartialSend extends Error {}

/**
 * Where each record of a send landed, in input order, from the broker's answers: within a partition
 * the broker appends in send order, from the batch's base offset. A send kafkajs resolved without an
 * answer for some partition it carried is refused. (kafkajs 2.2.4 does that when a leader dies mid
 * send and its partitions move to a broker that had already answered for others: its retry skips
 * that broker, so those records were never sent again, and the send resolves without them.)
 */
export function recordPositions(partitions: number[], answers: RecordMetadata[]): RecordPosition[] {
  const nextOffset = new Map(answers.map((answer) => [answer.partition, BigInt(answer.baseOffset ?? '0')]));
  const unanswered = [...new Set(partitions)].filter((partition) => !nextOffset.has(partition)).sort((a, b) => a - b);
  if (unanswered.length > 0) {
    throw new PartialSend(`Kafka answered the send for partitions ${[...nextOffset.keys()].sort((a, b) => a - b).join(', ') || 'none'}, `
      + `not for ${unanswered.join(', ')}: it is sent again whole`);
  }
  return partitions.map((partition) => {
    const offset = nextOffset.get(partition)!;
    nextOffset.set(partition, offset + 1n);
    return { partition, offset: offset.toString() };
  });
}

export class EventLogProducer {
  private readonly logger = new Logger('EventLogProducer');
  private producer: Producer;
  private broken = false;

  constructor(private readonly kafka: Kafka) {
    this.producer = this.create();
  }

  private create(): Producer {
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
  }

  /**
   * After a failed send (a broker restart can leave an idempotent producer unable to send again),
   * the next send starts from a new producer; the caller re-sends what was not acknowledged.
   */
  private async renewIfBroken(): Promise<void> {
    if (!this.broken) return;
    await this.producer.disconnect().catch(() => {});
    this.producer = this.create();
    await this.producer.connect();
    this.broken = false;
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async partitionCount(topic: string): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      return metadata.topics[0]!.partitions.length;
    } finally {
      await admin.disconnect();
    }
  }

  /** Sends the records with acks from all in-sync replicas; positions come back in input order. */
  async publish(topic: string, partitionCount: number, records: LogRecord[]): Promise<RecordPosition[]> {
    if (records.length === 0) return [];
    const partitions = records.map((record) => partitionFor(topic, record.key, partitionCount));
    await this.renewIfBroken();
    try {
      const answers: RecordMetadata[] = [];
      let unsent = records.map((_, index) => index);
      // A send kafkajs resolved without some partitions (see recordPositions) sends those again, by
      // the same producer: the broker knows its sequence numbers, so a record that did land is not
      // written twice. The partitions answered are not sent again at all.
      for (let attempt = 1; unsent.length > 0 && attempt <= 3; attempt++) {
        const sent = await this.producer.send({
          topic,
          acks: -1,
          compression: CompressionTypes.None,
          messages: unsent.map((index) => ({ ...records[index]!, partition: partitions[index] })),
        });
        answers.push(...sent.filter((answer) => answer.topicName === topic));
        const answered = new Set(answers.map((answer) => answer.partition));
        unsent = unsent.filter((index) => !answered.has(partitions[index]!));
        if (unsent.length > 0) {
          this.logger.warn({ topic, partitions: [...new Set(unsent.map((index) => partitions[index]))], records: unsent.length },
            'Kafka answered the send for only some partitions; sending the others again');
        }
      }
      return recordPositions(partitions, answers);
    } catch (error) {
      this.broken = true;
      throw error;
    }
  }
}
