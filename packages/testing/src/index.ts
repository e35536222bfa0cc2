export { TestInputDStream, testInputStream } from './test-input-stream';
export { collectOutput, type CollectedBatches } from './collect-output';
export {
  runStreamingJob,
  type StreamingJobSource,
  type StreamingTestOptions,
  type StreamingTestRun,
} from './run-streaming-job';
export { testOperation, testOperation2, type OperationTestOptions } from './test-operation';
export { SeededRandom } from './property/seeded-random';
export { checkProperty, PropertyFailure, type PropertyOptions, type PropertyReport } from './property/property';
export {
  randomKeyedBatches,
  randomShape,
  randomWindow,
  sortedRecords,
  type KeyedStreamShape,
  type WindowShape,
} from './property/generators';
