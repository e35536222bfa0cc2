import type * as tf from '@tensorflow/tfjs';

/** Whether a TF.js model.json describes a converter graph model or a Keras layers model. */
export type ModelKind = 'graph' | 'layers';

export function modelKindOf(modelJson: tf.io.ModelJSON): ModelKind {
  if (modelJson.format === 'graph-model') return 'graph';
  if (modelJson.format === 'layers-model') return 'layers';
  // Older exports omit `format`: a GraphDef has a node list, a Keras config does not.
  const topology = modelJson.modelTopology as { node?: unknown } | undefined;
  return Array.isArray(topology?.node) ? 'graph' : 'layers';
}

/** An IOHandler that hands over artifacts already in memory. */
export function memoryHandler(artifacts: tf.io.ModelArtifacts): tf.io.IOHandler {
  return { load: async () => artifacts };
}

/** The bytes of a Node Buffer as a standalone ArrayBuffer (Buffers may share a pool). */
export function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return copy;
}
