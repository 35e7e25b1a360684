// A Kafka broker of a test's own, on its own port and data dir, so the test can stop and restart
// it without disturbing the broker every other test shares.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

export type OwnBroker = { brokers: string; up: () => void; down: () => void };

export function ownBroker(port: number): OwnBroker {
  const env = { ...process.env, CHANCERY_KAFKA_PORT: String(port), CHANCERY_KAFKA_DIR: `${root}.chancery/kafka-${port}` };
  const run = (command: 'up' | 'down') => {
    const result = spawnSync(process.execPath, [`${root}infra/kafka/broker.mjs`, command], { env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`broker ${command} on ${port} failed: ${result.stderr}`);
  };
  return { brokers: `127.0.0.1:${port}`, up: () => run('up'), down: () => run('down') };
}
