export { TestInputDStream, testInputStream } from './test-input-stream.js';
export { collectOutput, type CollectedBatches } from './collect-output.js';
export {
  runStreamingJob,
  type StreamingJobSource,
  type StreamingTestOptions,
  type StreamingTestRun,
} from './run-streaming-job.js';
export { testOperation, testOperation2, type OperationTestOptions } from './test-operation.js';
export { SeededRandom } from '@sluice/protocol';
export { checkProperty, PropertyFailure, type PropertyOptions, type PropertyReport } from './property/property.js';
export {
  randomKeyedBatches,
  randomShape,
  randomWindow,
  sortedRecords,
  type KeyedStreamShape,
  type WindowShape,
} from './property/generators.js';
