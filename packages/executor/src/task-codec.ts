import type { BlockMessage, LaunchTask } from '@sluice/protocol';
import type { ShippedBlock, TaskSpec } from '@sluice/streaming/internal';

const EMPTY = Buffer.alloc(0);

/**
 * TaskSpec <-> LaunchTask + trailer. Block bytes go in the frame's trailer, in the order
 * the blocks appear in the message: the driver passes the blocks' segments to the socket
 * untouched, the executor slices views out of the received frame. A block the target
 * executor already holds (its receiver stored it) goes as `local`, without its bytes.
 * Offsets travel as the raw bytes of a little-endian Uint32Array (every platform Node
 * runs on today).
 */
export function toLaunchTask(
  taskId: number,
  attempt: number,
  spec: TaskSpec,
  executorId: string,
): { message: LaunchTask; trailer: Uint8Array[] } {
  const trailer: Uint8Array[] = [];
  const message: LaunchTask = {
    taskId,
    attempt,
    batchTime: spec.batchTime,
    zeroTime: spec.zeroTime,
    broadcasts: spec.broadcasts.map((b) => ({ id: b.id, version: b.version, value: b.bytes })),
    outputOp: spec.outputOp,
    actionIndex: spec.actionIndex,
    actionKind: spec.actionKind,
    stageRdd: spec.stageRdd,
    partition: spec.partition,
    shuffleId: spec.shuffleId,
    inputsJson: spec.inputsJson,
    inputPartitions: spec.inputPartitions.map((ip) => ({
      rddId: ip.rddId,
      partition: ip.partition,
      blocks: ip.blocks.map((b) => {
        if (b.heldBy === executorId) return { ...toBlockMessage(b), payloadLength: 0, local: true };
        if (!b.segments) throw new Error(`block ${b.blockId} is only on executor ${b.heldBy}, not on ${executorId}`);
        trailer.push(...b.segments);
        return toBlockMessage(b);
      }),
    })),
    shuffleInputs: spec.shuffleInputs,
    priorActionResults: spec.priorActionResults,
  };
  return { message, trailer };
}

export function fromLaunchTask(msg: LaunchTask, trailer: Buffer): TaskSpec {
  let pos = 0;
  const take = (m: BlockMessage): ShippedBlock => {
    if (m.local) return { ...fromBlockMessage(m, EMPTY), segments: null, byteLength: 0 };
    const length = Number(m.payloadLength);
    if (pos + length > trailer.length) throw new Error(`task frame too short for block ${m.blockId}`);
    const block = fromBlockMessage(m, trailer.subarray(pos, pos + length));
    pos += length;
    return block;
  };
  return {
    batchTime: msg.batchTime,
    zeroTime: msg.zeroTime,
    broadcasts: msg.broadcasts.map((b) => ({ id: b.id, version: b.version, bytes: b.value })),
    outputOp: msg.outputOp,
    actionIndex: msg.actionIndex,
    actionKind: msg.actionKind,
    stageRdd: msg.stageRdd,
    partition: msg.partition,
    shuffleId: msg.shuffleId,
    inputsJson: msg.inputsJson,
    inputPartitions: msg.inputPartitions.map((ip) => ({
      rddId: ip.rddId,
      partition: ip.partition,
      blocks: ip.blocks.map(take),
    })),
    shuffleInputs: msg.shuffleInputs,
    priorActionResults: msg.priorActionResults,
    // Placement is the driver's business; the executor runs what it was sent.
    preferredExecutors: [],
  };
}

export function toBlockMessage(b: ShippedBlock): BlockMessage {
  return {
    blockId: b.blockId,
    encoding: b.encoding,
    count: b.count,
    payloadLength: b.byteLength,
    offsets: b.offsets ? new Uint8Array(b.offsets.buffer, b.offsets.byteOffset, b.offsets.byteLength) : new Uint8Array(0),
  };
}

export function fromBlockMessage(m: BlockMessage, data: Buffer): ShippedBlock {
  let offsets: Uint32Array | null = null;
  if (m.encoding === 'frames') {
    // The bytes sit at an arbitrary offset inside the received frame; a Uint32Array needs
    // 4-byte alignment, so the (small) table is copied.
    const aligned = new Uint8Array(m.offsets);
    offsets = new Uint32Array(aligned.buffer, 0, aligned.byteLength / 4);
  }
  return {
    blockId: m.blockId,
    encoding: m.encoding === 'v8' ? 'v8' : 'frames',
    count: m.count,
    segments: [data],
    byteLength: data.length,
    offsets,
  };
}
