// `@sluice/classify/testing`: what the end-to-end tests and the benchmarks drive the
// classifier through, in process (the command line is bin/sluice-classify.mjs).
export { runClassifier, CLASSIFY_JOB_MODULE, type ClassifierRunOptions, type ClassifierRunResult } from './run/run-classifier.js';
export { setDriverSide, type DriverSide } from './job/driver-side.js';
export { encodeJobSettings, type ClassifyJobSettings } from './job/job-settings.js';
export type { ResultRecord } from './job/result-record.js';
export { renderPicture, brokenImages, type BrokenImage } from './demo/demo-images.js';
export { startImageSender, type RunningSender } from './demo/image-sender.js';
