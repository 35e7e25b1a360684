import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  const minimal = { KAFKA_BROKERS: '127.0.0.1:9092' };

  it('fills in the local defaults', () => {
    const config = loadConfig(minimal);
    expect(config.http).toEqual({ host: '127.0.0.1', port: 3000 });
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/chancery');
    expect(config.kafka).toEqual({ brokers: ['127.0.0.1:9092'], topicPrefix: 'chancery', groupPrefix: 'chancery', eventPartitions: 12 });
  });

  it('runs the relay in the appending process unless CHANCERY_RELAY is off', () => {
    expect(loadConfig(minimal).relayInProcess).toBe(true);
    expect(loadConfig({ ...minimal, CHANCERY_RELAY: 'off' }).relayInProcess).toBe(false);
  });

  it('leaves replication to the brokers unless told, and refuses more in-sync replicas than replicas', () => {
    expect(loadConfig(minimal).kafka).toMatchObject({ replicationFactor: undefined, minInSyncReplicas: undefined });
    const cluster = loadConfig({ ...minimal, CHANCERY_TOPIC_REPLICATION_FACTOR: '3', CHANCERY_TOPIC_MIN_INSYNC_REPLICAS: '2' });
    expect(cluster.kafka).toMatchObject({ replicationFactor: 3, minInSyncReplicas: 2 });
    expect(() => loadConfig({ ...minimal, CHANCERY_TOPIC_REPLICATION_FACTOR: '1', CHANCERY_TOPIC_MIN_INSYNC_REPLICAS: '2' }))
      .toThrow('configuration: CHANCERY_TOPIC_MIN_INSYNC_REPLICAS is invalid: more than CHANCERY_TOPIC_REPLICATION_FACTOR (1)');
  });

  it('splits a broker list', () => {
    expect(loadConfig({ KAFKA_BROKERS: 'a:9092, b:9093' }).kafka.brokers).toEqual(['a:9092', 'b:9093']);
  });

  it.each([
    [{}, 'configuration: KAFKA_BROKERS is required'],
    [{ ...minimal, PORT: 'eighty' }, 'configuration: PORT is invalid'],
    [{ ...minimal, KAFKA_BROKERS: 'localhost' }, 'configuration: KAFKA_BROKERS is invalid: expected host:port'],
    [{ ...minimal, DATABASE_URL: 'mysql://x/y' }, 'configuration: DATABASE_URL is invalid'],
    [{ ...minimal, CHANCERY_BOOTSTRAP_ADMIN_KEY: 'short' }, 'configuration: CHANCERY_BOOTSTRAP_ADMIN_KEY is invalid'],
    [{ ...minimal, LOG_LEVEL: 'loud' }, 'configuration: LOG_LEVEL is invalid'],
    [{ ...minimal, CHANCERY_RELAY: 'elsewhere' }, 'configuration: CHANCERY_RELAY is invalid'],
    [{ ...minimal, CHANCERY_TOPIC_REPLICATION_FACTOR: '0' }, 'configuration: CHANCERY_TOPIC_REPLICATION_FACTOR is invalid'],
    [{ ...minimal, CHANCERY_TOPIC_MIN_INSYNC_REPLICAS: 'two' }, 'configuration: CHANCERY_TOPIC_MIN_INSYNC_REPLICAS is invalid'],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
