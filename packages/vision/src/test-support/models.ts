/**
 * Tiny TF.js models written to disk in the standard model.json + shards layout, to
 * exercise directory loading without any real model files.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const TINY_SIZE = 4;

/**
 * A Keras-style layers model: [n, 4, 4, 3] -> flatten -> dense(3, softmax). Returns the
 * in-memory model too, so tests can compare outputs; the caller disposes it.
 */
export async function writeLayersModel(directory: string, options: { activation?: 'softmax' | 'linear' } = {}): Promise<tf.LayersModel> {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [TINY_SIZE, TINY_SIZE, 3] }),
      tf.layers.dense({ units: 3, activation: options.activation ?? 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) }),
    ],
  });
  await mkdir(directory, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const modelJson = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      };
      await writeFile(join(directory, 'model.json'), JSON.stringify(modelJson));
      await writeFile(join(directory, 'weights.bin'), Buffer.from(artifacts.weightData as ArrayBuffer));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return model;
}

/**
 * A converter-style graph model: softmax of the mean colour of a [n, 4, 4, 3] input,
 * so a mostly red image scores highest on output 0, green on 1, blue on 2. The one
 * weight (the reduction axes) lives in a shard file, like real converted weights.
 */
export async function writeGraphModel(directory: string): Promise<void> {
  const dim = (size: number) => ({ size: String(size) });
  const modelJson = {
    format: 'graph-model',
    generatedBy: 'test',
    convertedBy: 'test',
    modelTopology: {
      node: [
        {
          name: 'image',
          op: 'Placeholder',
          attr: {
            dtype: { type: 'DT_FLOAT' },
            shape: { shape: { dim: [dim(-1), dim(TINY_SIZE), dim(TINY_SIZE), dim(3)] } },
          },
        },
        {
          name: 'axes',
          op: 'Const',
          attr: { dtype: { type: 'DT_INT32' }, value: { tensor: { dtype: 'DT_INT32', tensorShape: { dim: [dim(2)] } } } },
        },
        { name: 'mean_colour', op: 'Mean', input: ['image', 'axes'], attr: { keep_dims: { b: false }, T: { type: 'DT_FLOAT' } } },
        { name: 'scaled', op: 'Mul', input: ['mean_colour', 'ten'], attr: { T: { type: 'DT_FLOAT' } } },
        {
          name: 'ten',
          op: 'Const',
          attr: { dtype: { type: 'DT_FLOAT' }, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: {} } } },
        },
        { name: 'probabilities', op: 'Softmax', input: ['scaled'], attr: { T: { type: 'DT_FLOAT' } } },
      ],
      library: {},
      versions: { producer: 1 },
    },
    weightsManifest: [
      {
        paths: ['group1-shard1of1.bin'],
        weights: [
          { name: 'axes', shape: [2], dtype: 'int32' },
          { name: 'ten', shape: [], dtype: 'float32' },
        ],
      },
    ],
  };
  await mkdir(directory, { recursive: true });
  await writeFile(join(directory, 'model.json'), JSON.stringify(modelJson));
  const weights = Buffer.alloc(12);
  weights.writeInt32LE(1, 0);
  weights.writeInt32LE(2, 4);
  weights.writeFloatLE(10, 8);
  await writeFile(join(directory, 'group1-shard1of1.bin'), weights);
}
