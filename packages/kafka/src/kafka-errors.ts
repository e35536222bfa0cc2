/**
 * Turns kafkajs errors into one line that says what went wrong. kafkajs wraps the cause
 * (KafkaJSNumberOfRetriesExceeded around KafkaJSConnectionError around ECONNREFUSED...);
 * the useful words are spread over that chain.
 */
export function describeKafkaError(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { message?: string; type?: string; originalError?: unknown; cause?: unknown };
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a thrown non-Error, as its own text
    const text = e.type && e.message && !e.message.includes(e.type) ? `${e.message} (${e.type})` : e.message ?? String(current);
    if (!parts.some((p) => p.includes(text))) parts.push(text);
    current = e.originalError ?? e.cause;
  }
  return parts.join(': ');
}

const UNREACHABLE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|Connection (error|timeout)|Closed connection|connection.*closed|Request .* timed out|No brokers? available|KafkaJSConnection|KafkaJSNoBrokerAvailable|KafkaJSRequestTimeout|Broker not connected/i;

/** True when the error means the brokers could not be reached (rather than, say, an authorization failure). */
export function isUnreachable(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { name?: string; message?: string; code?: string; originalError?: unknown; cause?: unknown };
    if (UNREACHABLE.test(`${e.name ?? ''} ${e.code ?? ''} ${e.message ?? ''}`)) return true;
    current = e.originalError ?? e.cause;
  }
  return false;
}

/** "cannot reach the Kafka brokers X: ..." for connection problems, the cause otherwise. */
export function explainKafkaError(err: unknown, brokers: string): string {
  const detail = describeKafkaError(err);
  return isUnreachable(err) ? `cannot reach the Kafka brokers ${brokers}: ${detail}` : detail;
}
