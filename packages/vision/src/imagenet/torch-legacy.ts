import { unpickle } from './pickle.js';

/**
 * Reads a PyTorch state dict saved in the legacy (pre-1.6, non-zip) serialization:
 * five pickles (magic number, protocol version, system info, the state dict itself,
 * the list of storage keys) followed by each storage's raw bytes, in key order, each
 * preceded by its element count as an int64. Tensors in the state dict refer to
 * storages by key (a pickle persistent id) with an offset, a shape and strides, so a
 * tensor may be a strided view (PyTorch's channels-last weights are one).
 */
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const SUPPORTED_PROTOCOL = 1001;

/** Bytes per element of the storage types a state dict of weights uses. */
const STORAGE_TYPES: Record<string, { dtype: TorchDtype; bytes: number }> = {
  FloatStorage: { dtype: 'float32', bytes: 4 },
  LongStorage: { dtype: 'int64', bytes: 8 },
};

export type TorchDtype = 'float32' | 'int64';

export interface TorchTensor {
  dtype: TorchDtype;
  shape: number[];
  /** In elements, one per dimension. */
  stride: number[];
  /** In elements, into the storage. */
  offset: number;
  storage: TorchStorage;
}

export interface TorchStorage {
  key: string;
  dtype: TorchDtype;
  /** Element count, as declared in the state dict. */
  size: number;
  /** Filled in once the raw storages after the pickles are read. */
  bytes?: Buffer;
}

interface StorageClass {
  storageType: string;
}

export function readLegacyStateDict(file: Buffer): Map<string, TorchTensor> {
  const hooks = {
    global(module: string, name: string): (args: unknown[]) => unknown {
      const qualified = `${module}.${name}`;
      if (qualified === 'collections.OrderedDict') return () => new Map();
      if (qualified === 'torch._utils._rebuild_tensor_v2') return rebuildTensor;
      if (module === 'torch' && name in STORAGE_TYPES) {
        // The persistent id carries the class itself (the GLOBAL), never an instance.
        return Object.assign(() => undefined, { storageType: name } satisfies StorageClass);
      }
      throw new Error(`the checkpoint needs the Python global ${qualified}, which a plain weights file does not`);
    },
    persistentLoad: (id: unknown) => storageOf(id, storages),
  };
  const storages = new Map<string, TorchStorage>();

  let at = 0;
  const magic = unpickle(file, at, hooks);
  if (magic.value !== LEGACY_MAGIC) {
    throw new Error('not a legacy PyTorch checkpoint (wrong magic number; zip-format checkpoints are not read here)');
  }
  const protocol = unpickle(file, magic.end, hooks);
  if (protocol.value !== SUPPORTED_PROTOCOL) throw new Error(`unsupported PyTorch legacy protocol version ${String(protocol.value)}`);
  const systemInfo = unpickle(file, protocol.end, hooks);
  const info = systemInfo.value;
  if (info instanceof Map && info.get('little_endian') === false) throw new Error('big-endian PyTorch checkpoints are not supported');
  const stateDict = unpickle(file, systemInfo.end, hooks);
  if (!(stateDict.value instanceof Map)) throw new Error('the checkpoint does not hold a state dict (a dict of tensors)');
  const keys = unpickle(file, stateDict.end, hooks);
  if (!Array.isArray(keys.value)) throw new Error('the checkpoint has no storage key list after its state dict');
  at = keys.end;

  for (const key of keys.value as unknown[]) {
    const storage = storages.get(String(key));
    if (!storage) throw new Error(`the checkpoint lists storage ${String(key)} that no tensor uses`);
    if (at + 8 > file.length) throw new Error(`the checkpoint is truncated before storage ${storage.key}`);
    const count = Number(file.readBigInt64LE(at));
    at += 8;
    if (count !== storage.size) throw new Error(`storage ${storage.key} holds ${count} elements, the state dict says ${storage.size}`);
    const length = count * STORAGE_TYPES[storageTypeName(storage.dtype)]!.bytes;
    if (at + length > file.length) throw new Error(`the checkpoint is truncated inside storage ${storage.key}`);
    storage.bytes = file.subarray(at, at + length);
    at += length;
  }

  const tensors = new Map<string, TorchTensor>();
  for (const [name, value] of stateDict.value) {
    const tensor = value as TorchTensor;
    if (!tensor.storage?.bytes) throw new Error(`tensor ${String(name)} refers to a storage whose data is missing`);
    tensors.set(String(name), tensor);
  }
  return tensors;
}

function storageOf(id: unknown, storages: Map<string, TorchStorage>): TorchStorage {
  // ('storage', storage class, key, location, element count[, view metadata])
  if (!Array.isArray(id) || id[0] !== 'storage') throw new Error(`unexpected persistent id ${JSON.stringify(id)}`);
  const storageClass = id[1] as StorageClass;
  const key = String(id[2]);
  const type = STORAGE_TYPES[storageClass.storageType];
  if (!type) throw new Error(`unsupported storage type ${storageClass.storageType}`);
  let storage = storages.get(key);
  if (!storage) {
    storage = { key, dtype: type.dtype, size: Number(id[4]) };
    storages.set(key, storage);
  }
  return storage;
}

function rebuildTensor(args: unknown[]): TorchTensor {
  const [storage, offset, shape, stride] = args as [TorchStorage, number, number[], number[]];
  return { dtype: storage.dtype, shape: [...shape], stride: [...stride], offset, storage };
}

function storageTypeName(dtype: TorchDtype): string {
  return dtype === 'float32' ? 'FloatStorage' : 'LongStorage';
}

/**
 * The tensor's float32 values laid out contiguously with its dimensions in the given
 * order: order [2, 3, 1, 0] turns a PyTorch convolution kernel [out, in, h, w] into
 * TensorFlow's [h, w, in, out]. Strides are honoured, so views read correctly.
 */
export function permutedValues(tensor: TorchTensor, order: readonly number[]): Float32Array {
  if (tensor.dtype !== 'float32') throw new Error(`expected a float32 tensor, got ${tensor.dtype}`);
  if (order.length !== tensor.shape.length || [...order].sort().some((axis, i) => axis !== i)) {
    throw new Error(`axis order [${order.join(', ')}] is no permutation of a rank-${tensor.shape.length} tensor`);
  }
  const bytes = tensor.storage.bytes!;
  const source = new Float32Array(tensor.storage.size);
  for (let i = 0; i < source.length; i++) source[i] = bytes.readFloatLE(i * 4);
  const shape = order.map((axis) => tensor.shape[axis]!);
  const stride = order.map((axis) => tensor.stride[axis]!);
  const total = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(total);
  const index = new Array<number>(shape.length).fill(0);
  for (let n = 0; n < total; n++) {
    let at = tensor.offset;
    for (let d = 0; d < shape.length; d++) at += index[d]! * stride[d]!;
    if (at >= source.length) throw new Error('tensor view reaches past the end of its storage');
    out[n] = source[at]!;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d]! < shape[d]!) break;
      index[d] = 0;
    }
  }
  return out;
}
