/** What one classify benchmark run compares, shared by the bare workers and the engine. */
export interface ClassifyBenchSettings {
  executors: number;
  /** Cores (task threads) of each executor; 1 unless told. */
  executorCores?: number;
  batchSize: number;
  imagesDir: string;
  /** Images classified in each measured round (the directory is cycled). */
  count: number;
  model: string;
  backend: 'auto' | 'wasm' | 'tensorflow' | 'cpu';
  topK: number;
  batchDuration: string;
  blockInterval: string;
  /** Images per second sent to the engine; 0 = as fast as it reads; null = 1.25 x the bare rate. */
  rate: number | null;
}
