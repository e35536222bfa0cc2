// `@sluice/classify/testing`: what the end-to-end tests and the benchmarks drive the
// classifier through, in process (the command line is bin/sluice-classify.mjs).
export { runClassifier, CLASSIFY_JOB_MODULE, type ClassifierRunOptions, type ClassifierRunResult } from './run/run-classifier';
export { setDriverSide, type DriverSide } from './job/driver-side';
export { encodeJobSettings, type ClassifyJobSettings } from './job/job-settings';
export type { ResultRecord } from './job/result-record';
export { renderPicture, brokenImages, type BrokenImage } from './demo/demo-images';
export { startImageSender, type RunningSender } from './demo/image-sender';
