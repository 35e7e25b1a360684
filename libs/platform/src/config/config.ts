// Settings come from the environment only; each is checked once at start-up.
import { z } from 'zod';

const brokerList = z
  .string()
  .min(1)
  .transform((value) => value.split(',').map((broker) => broker.trim()).filter(Boolean))
  .refine(
    (brokers) => brokers.length > 0 && brokers.every((broker) => /^[^\s:]+:\d{1,5}$/.test(broker)),
    'expected host:port[,host:port…]',
  );

const postgresUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\//.test(value) && URL.canParse(value), 'expected postgres://user@host:port/database');

const configSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  DATABASE_URL: postgresUrl.default('postgres://postgres@127.0.0.1:5432/chancery'),
  KAFKA_BROKERS: brokerList,
  CHANCERY_TOPIC_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{1,100}$/, 'letters, digits, ".", "_" and "-" only')
    .default('chancery'),
  CHANCERY_CONSUMER_GROUP_PREFIX: z.string().regex(/^[a-zA-Z0-9._-]{1,100}$/, 'letters, digits, ".", "_" and "-" only').optional(),
  CHANCERY_EVENT_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(12),
  CHANCERY_TOPIC_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(100).optional(),
  CHANCERY_TOPIC_MIN_INSYNC_REPLICAS: z.coerce.number().int().min(1).max(100).optional(),
  CHANCERY_BOOTSTRAP_ADMIN_KEY: z.string().min(16, 'at least 16 characters').optional(),
  CHANCERY_RATE_LIMIT_PER_SECOND: z.coerce.number().int().min(1).max(1_000_000).default(1_000),
  CHANCERY_PROJECTION_FAILURE_POLICY: z.enum(['skip', 'halt']).default('skip'),
  CHANCERY_RELAY: z.enum(['on', 'off']).default('on'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type ChanceryConfig = {
  http: { host: string; port: number };
  databaseUrl: string;
  kafka: {
    brokers: string[];
    topicPrefix: string;
    groupPrefix: string;
    eventPartitions: number;
    /**
     * Replicas of each partition of the deployment's topics, and how many must have a write before
     * it is acknowledged (the producer asks for all in-sync ones). Unset: the broker's defaults
     * (`default.replication.factor`, `min.insync.replicas`), which for one broker are 1 and 1.
     */
    replicationFactor: number | undefined;
    minInSyncReplicas: number | undefined;
  };
  bootstrapAdminKey: string | undefined;
  /** Requests per second per API key, per process. */
  rateLimitPerSecond: number;
  /** What a projection does with an event it cannot apply: set it aside and go on, or stop. */
  projectionFailurePolicy: 'skip' | 'halt';
  /**
   * Whether the process that appends (command-api, or the one-process server) also runs the outbox
   * relay. Off where the relay runs as a process of its own (`apps/relay`): the appends then wake it
   * with a NOTIFY, and publishing no longer shares the writer's thread.
   */
  relayInProcess: boolean;
  logLevel: z.infer<typeof configSchema>['LOG_LEVEL'];
};

export class ConfigError extends Error {
  constructor(readonly variable: string, reason: string) {
    super(`configuration: ${variable} ${reason}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ChanceryConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0]);
    const reason = env[variable] === undefined ? 'is required' : `is invalid: ${issue.message}`;
    throw new ConfigError(variable, reason);
  }
  const settings = parsed.data;
  const { CHANCERY_TOPIC_REPLICATION_FACTOR: replicationFactor, CHANCERY_TOPIC_MIN_INSYNC_REPLICAS: minInSyncReplicas } = settings;
  // More in-sync replicas required than there are replicas: every write would be refused.
  if (replicationFactor !== undefined && minInSyncReplicas !== undefined && minInSyncReplicas > replicationFactor) {
    throw new ConfigError('CHANCERY_TOPIC_MIN_INSYNC_REPLICAS', `is invalid: more than CHANCERY_TOPIC_REPLICATION_FACTOR (${replicationFactor})`);
  }
  return {
    http: { host: settings.HOST, port: settings.PORT },
    databaseUrl: settings.DATABASE_URL,
    kafka: {
      brokers: settings.KAFKA_BROKERS,
      topicPrefix: settings.CHANCERY_TOPIC_PREFIX,
      groupPrefix: settings.CHANCERY_CONSUMER_GROUP_PREFIX ?? settings.CHANCERY_TOPIC_PREFIX,
      eventPartitions: settings.CHANCERY_EVENT_PARTITIONS,
      replicationFactor,
      minInSyncReplicas,
    },
    bootstrapAdminKey: settings.CHANCERY_BOOTSTRAP_ADMIN_KEY,
    rateLimitPerSecond: settings.CHANCERY_RATE_LIMIT_PER_SECOND,
    projectionFailurePolicy: settings.CHANCERY_PROJECTION_FAILURE_POLICY,
    relayInProcess: settings.CHANCERY_RELAY === 'on',
    logLevel: settings.LOG_LEVEL,
  };
}
