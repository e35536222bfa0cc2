import type { BlockMessage, LaunchTask } from '@sluice/protocol';
import type { ShippedBlock, TaskSpec } from '@sluice/streaming';

/**
 * TaskSpec <-> LaunchTask. Block data stays the same bytes on both sides; offsets travel
 * as the raw bytes of a little-endian Uint32Array (every platform Node runs on today).
 */
export function toLaunchTask(taskId: number, attempt: number, spec: TaskSpec): LaunchTask {
  return {
    taskId,
    attempt,
    batchTime: spec.batchTime,
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
      blocks: ip.blocks.map(toBlockMessage),
    })),
    shuffleInputs: spec.shuffleInputs,
    priorActionResults: spec.priorActionResults,
  };
}

export function fromLaunchTask(msg: LaunchTask): TaskSpec {
  return {
    batchTime: msg.batchTime,
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
      blocks: ip.blocks.map(fromBlockMessage),
    })),
    shuffleInputs: msg.shuffleInputs,
    priorActionResults: msg.priorActionResults,
  };
}

function toBlockMessage(b: ShippedBlock): BlockMessage {
  return {
    blockId: b.blockId,
    encoding: b.encoding,
    count: b.count,
    data: b.data,
    offsets: b.offsets ? new Uint8Array(b.offsets.buffer, b.offsets.byteOffset, b.offsets.byteLength) : new Uint8Array(0),
  };
}

function fromBlockMessage(m: BlockMessage): ShippedBlock {
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
    data: m.data,
    offsets,
  };
}
