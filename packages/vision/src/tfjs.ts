import { createRequire } from 'node:module';
import type * as Tfjs from '@tensorflow/tfjs';

const require = createRequire(import.meta.url);

/**
 * TensorFlow.js, loaded with require(). Its packages are CommonJS: imported from an ES
 * module, Node first scans the source of each of them, and of every package it
 * re-exports, for the names it exports, which costs more than loading them (about
 * 240 ms against 100 ms for @tensorflow/tfjs here). Every executor task thread loads it
 * while the first batch waits, so the modules of this package use this copy.
 */
export const tf = require('@tensorflow/tfjs') as typeof Tfjs;

/**
 * Loads one of TensorFlow.js's optional CommonJS packages (@tensorflow/tfjs-node,
 * @tensorflow/tfjs-backend-wasm) the same way; throws as require() does when it is missing
 * (`code` 'MODULE_NOT_FOUND').
 */
export function requireTfjsPackage<T>(specifier: string): T {
  return require(specifier) as T;
}

// The types that go with the value, written `tf.Tensor4D` as with `import * as tf`.
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace tf {
  type GraphModel = Tfjs.GraphModel;
  type LayersModel = Tfjs.LayersModel;
  type NamedTensorMap = Tfjs.NamedTensorMap;
  type SymbolicTensor = Tfjs.SymbolicTensor;
  type Tensor<R extends Tfjs.Rank = Tfjs.Rank> = Tfjs.Tensor<R>;
  type Tensor2D = Tfjs.Tensor2D;
  type Tensor4D = Tfjs.Tensor4D;
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace io {
    type IOHandler = Tfjs.io.IOHandler;
    type ModelArtifacts = Tfjs.io.ModelArtifacts;
    type ModelJSON = Tfjs.io.ModelJSON;
    type SaveResult = Tfjs.io.SaveResult;
    type WeightData = Tfjs.io.WeightData;
    type WeightsManifestEntry = Tfjs.io.WeightsManifestEntry;
  }
}
