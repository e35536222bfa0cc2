// `@sluice/sender/testing`: the types of what sluice-sender prints, for the tests that run it.
export type { DeviceSummary, DeviceFaults } from './device-stream.js';
