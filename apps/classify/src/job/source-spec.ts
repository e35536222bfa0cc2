/**
 * Where images come from, as given to --source, in a form that survives the trip to the
 * executors as JSON (they rebuild the same input stream from it).
 */
export type SourceSpec =
  | { kind: 'socket'; host: string; port: number }
  | {
      kind: 'kafka';
      brokers: string;
      topic: string;
      groupId: string;
      startingOffsets: 'earliest' | 'latest';
      /** Images per second per partition (--max-rate-per-partition); 0: no ceiling (backpressure sets the rate, see cli/flow-control.ts). */
      maxRatePerPartition: number;
    }
  | { kind: 'device'; path: string };

export interface KafkaSourceDefaults {
  groupId: string;
  startingOffsets: 'earliest' | 'latest';
  maxRatePerPartition: number;
}

/** socket://host:port | kafka://broker[,broker...]/topic | device:<path> */
export function parseSourceSpec(text: string, kafka: KafkaSourceDefaults): SourceSpec {
  if (text.startsWith('socket://')) {
    const { host, port } = parseHostPort(text.slice('socket://'.length), '--source socket://');
    return { kind: 'socket', host, port };
  }
  if (text.startsWith('kafka://')) {
    const { brokers, topic } = parseKafkaAddress(text, '--source');
    return { kind: 'kafka', brokers, topic, ...kafka };
  }
  if (text.startsWith('device:')) {
    const path = text.slice('device:'.length);
    if (path === '') throw new Error('--source device: needs a path, e.g. device:/tmp/camera.fifo');
    return { kind: 'device', path };
  }
  throw new Error(`--source "${text}" is not one of socket://host:port, kafka://brokers/topic, device:<path>`);
}

/** host:port, with an IPv6 host in brackets ([::1]:9999). */
export function parseHostPort(text: string, what: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:/\s]+):(\d+)$/.exec(text);
  if (!match) throw new Error(`${what}${text} is not host:port (for example 127.0.0.1:9999)`);
  const port = Number(match[2]);
  if (port < 1 || port > 65535) throw new Error(`${what}${text}: port ${port} is not in 1-65535`);
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

/** kafka://host:port[,host:port...]/topic */
export function parseKafkaAddress(text: string, option: string): { brokers: string; topic: string } {
  const rest = text.slice('kafka://'.length);
  const slash = rest.indexOf('/');
  const brokers = slash < 0 ? rest : rest.slice(0, slash);
  const topic = slash < 0 ? '' : rest.slice(slash + 1);
  if (brokers === '' || brokers.split(',').some((b) => !/^[^:\s]+:\d+$/.test(b))) {
    throw new Error(`${option} ${text}: brokers must be host:port[,host:port...], as in kafka://localhost:9092/images`);
  }
  if (!/^[a-zA-Z0-9._-]{1,249}$/.test(topic)) {
    throw new Error(`${option} ${text}: name a topic after the brokers, as in kafka://localhost:9092/images`);
  }
  return { brokers, topic };
}

export function describeSource(source: SourceSpec): string {
  switch (source.kind) {
    case 'socket':
      return `socket://${source.host.includes(':') ? `[${source.host}]` : source.host}:${source.port}`;
    case 'kafka':
      return `kafka://${source.brokers}/${source.topic} (group ${source.groupId})`;
    case 'device':
      return `device:${source.path}`;
  }
}
