import { logLevel, type KafkaConfig, type RetryOptions } from 'kafkajs';

/** Where the Kafka cluster is: a broker list, or a full kafkajs configuration. */
export interface KafkaConnectionOptions {
  /** Bootstrap brokers, "host:port", as an array or a comma-separated string. */
  brokers?: string | string[];
  /**
   * The kafkajs client configuration, for TLS, SASL, client id, timeouts and retries.
   * Takes precedence over `brokers`. Its `logLevel` defaults to NOTHING: Sluice reports
   * Kafka errors itself, once and with context, rather than kafkajs' per-retry lines.
   */
  kafkaConfig?: KafkaConfig;
}

/** The kafkajs configuration for one of Sluice's clients (`role` names it in broker logs). */
export function resolveKafkaConfig(
  options: KafkaConnectionOptions,
  role: string,
  defaults: { retry?: RetryOptions; requestTimeout?: number } = {},
): KafkaConfig {
  const base: KafkaConfig = options.kafkaConfig ?? { brokers: parseBrokers(options.brokers) };
  return {
    clientId: `sluice-${role}`,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    ...(defaults.requestTimeout !== undefined ? { requestTimeout: defaults.requestTimeout } : {}),
    ...(defaults.retry ? { retry: defaults.retry } : {}),
    ...base,
  };
}

export function parseBrokers(brokers: string | string[] | undefined): string[] {
  const list = (Array.isArray(brokers) ? brokers : (brokers ?? '').split(','))
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  if (list.length === 0) {
    throw new Error('no Kafka brokers given: pass `brokers: "host:port,..."` or a kafkajs `kafkaConfig`');
  }
  for (const b of list) {
    if (!/^[^\s:]+:\d{1,5}$/.test(b) && !/^\[[^\]]+\]:\d{1,5}$/.test(b)) {
      throw new Error(`invalid Kafka broker address "${b}": expected host:port`);
    }
  }
  return list;
}

export function validateConnection(options: KafkaConnectionOptions, what: string): void {
  if (!options.kafkaConfig && options.brokers === undefined) {
    throw new Error(`${what}: give the Kafka cluster as \`brokers\` ("host:port,...") or as a kafkajs \`kafkaConfig\``);
  }
  if (!options.kafkaConfig) parseBrokers(options.brokers);
}

/** The broker list for error messages. */
export function describeBrokers(config: KafkaConfig): string {
  return Array.isArray(config.brokers) ? config.brokers.join(',') : '(brokers given by a function)';
}
