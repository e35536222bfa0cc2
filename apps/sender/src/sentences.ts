/**
 * Lines for the text command, meant for the word count example: short, with words that
 * repeat across lines so the counts are interesting, and punctuation-free so a plain
 * split on spaces gives clean words.
 */
export const SENTENCES: readonly string[] = [
  'the quick brown fox jumps over the lazy dog',
  'a stream is a sequence of small batches',
  'every batch is processed on the executors',
  'the driver plans the jobs and the executors run the tasks',
  'data arrives on sockets and on kafka topics',
  'the receiver cuts the byte stream into records',
  'windows slide over the stream every few seconds',
  'the word count example counts the words of the stream',
  'a checkpoint keeps the state when an executor fails',
  'images arrive from cameras and microscopes',
  'the sluice gate lets the water through in measured batches',
  'small batches keep the latency low and the throughput high',
  'the fox and the dog count the batches together',
  'late data is dropped when the watermark has passed',
  'state is kept per key across the batches of the stream',
  'the lazy dog sleeps while the stream flows on',
  'every record is counted exactly once',
  'the executors report their progress to the driver',
  'backpressure slows the sender when the receiver falls behind',
  'the stream never ends but every batch does',
];
