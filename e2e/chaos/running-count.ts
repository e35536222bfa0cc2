import { StateSpec, type DStream, type State } from '@sluice/streaming';

/**
 * The per-key running count the chaos runs and the stateful Kafka tests check: `key,seq`
 * records (see sequenceLine) to `key,seq,count`, the key's count after the record. A record
 * lost or counted twice shows as a count that does not match its sequence number.
 */
export function runningCount(records: DStream<string>): DStream<string> {
  return records
    .map((line) => {
      const [key, seq] = line.split(',');
      return [key!, Number(seq)] as [string, number];
    })
    .mapWithState(
      StateSpec.function((key: string, seq: number | undefined, state: State<number>) => {
        const count = (state.getOption() ?? 0) + 1;
        state.update(count);
        return `${key},${seq},${count}`;
      }).numPartitions(2),
    );
}
