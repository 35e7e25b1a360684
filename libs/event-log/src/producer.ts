// Writes records to one topic, idempotently and in order per key; reports where each one landed.
import kafkajs, { type Kafka, type Producer } from 'kafkajs';

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

export class EventLogProducer {
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
    const metadata = await this.producer.send({
      topic,
      acks: -1,
      compression: CompressionTypes.None,
      messages: records.map((record, index) => ({ ...record, partition: partitions[index] })),
    }).catch((error: unknown) => {
      this.broken = true;
      throw error;
    });
    // Within a partition the broker appends in send order, from the batch's base offset.
    const nextOffset = new Map(metadata.map((entry) => [entry.partition, BigInt(entry.baseOffset ?? '0')]));
    return partitions.map((partition) => {
      const offset = nextOffset.get(partition)!;
      nextOffset.set(partition, offset + 1n);
      return { partition, offset: offset.toString() };
    });
  }
}
