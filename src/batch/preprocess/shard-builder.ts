import { StatsAccumulator } from '../../shared/preprocess/stats-accumulator.ts';
import type { ShardColumns } from '../data/dataset/shard-columns.ts';
import { FRAME_VALUES, IDX_VALUES } from '../../shared/bundle/model-contract.ts';
import type { Reject } from './reject.ts';
import type { ShardPlan } from './shard-plan.ts';

export interface BuiltShard {
  readonly columns: ShardColumns;
  readonly rejects: readonly Reject[];
  /** Accumulated over this shard's rows, per participant. */
  readonly participantStats: ReadonlyMap<number, StatsAccumulator>;
}

/**
 * Collects one shard's results as they arrive in any order, keeping rows in train.csv order: each file
 * has a fixed slot, and rejected slots are squeezed out at the end.
 */
export class ShardBuilder {
  private readonly frames: Float32Array;
  private readonly idxs: Float32Array;
  private readonly accepted: Uint8Array;
  private readonly rejects = new Map<number, Reject>();
  private remaining: number;

  constructor(readonly plan: ShardPlan) {
    const n = plan.files.length;
    this.frames = new Float32Array(n * FRAME_VALUES);
    this.idxs = new Float32Array(n * IDX_VALUES);
    this.accepted = new Uint8Array(n);
    this.remaining = n;
  }

  get complete(): boolean {
    return this.remaining === 0;
  }

  accept(slot: number, frames: Float32Array, nonEmptyFrameIdxs: Float32Array): void {
    if (frames.length !== FRAME_VALUES || nonEmptyFrameIdxs.length !== IDX_VALUES) {
      throw new RangeError(`slot ${slot}: got ${frames.length} + ${nonEmptyFrameIdxs.length} values`);
    }
    this.claim(slot);
    this.frames.set(frames, slot * FRAME_VALUES);
    this.idxs.set(nonEmptyFrameIdxs, slot * IDX_VALUES);
    this.accepted[slot] = 1;
  }

  reject(slot: number, code: string, message: string): void {
    this.claim(slot);
    this.rejects.set(slot, { path: this.plan.files[slot]!.path, code, message });
  }

  /** The shard's columns (views over this builder's buffers); call once every slot is settled. */
  build(): BuiltShard {
    if (!this.complete) throw new Error(`${this.plan.name}: ${this.remaining} files still pending`);
    const files = this.plan.files;
    const n = files.length - this.rejects.size;
    const sequenceId = new BigInt64Array(n);
    const participantId = new Int32Array(n);
    const label = new Int16Array(n);
    // Accumulated here in row order, not as results arrive, so the statistics are the same on every run.
    const stats = new Map<number, StatsAccumulator>();
    let row = 0;
    for (let slot = 0; slot < files.length; slot++) {
      if (this.accepted[slot] !== 1) continue;
      const file = files[slot]!;
      sequenceId[row] = BigInt(file.sequenceId);
      participantId[row] = file.participantId;
      label[row] = file.label;
      if (row !== slot) {
        this.frames.copyWithin(row * FRAME_VALUES, slot * FRAME_VALUES, (slot + 1) * FRAME_VALUES);
        this.idxs.copyWithin(row * IDX_VALUES, slot * IDX_VALUES, (slot + 1) * IDX_VALUES);
      }
      let acc = stats.get(file.participantId);
      if (acc === undefined) stats.set(file.participantId, (acc = new StatsAccumulator()));
      acc.add({
        frames: this.frames.subarray(row * FRAME_VALUES, (row + 1) * FRAME_VALUES),
        nonEmptyFrameIdxs: this.idxs.subarray(row * IDX_VALUES, (row + 1) * IDX_VALUES),
      });
      row++;
    }
    const rejects = [...this.rejects.entries()].sort(([a], [b]) => a - b).map(([, r]) => r);
    return {
      columns: {
        length: n,
        sequenceId,
        participantId,
        label,
        frames: this.frames.subarray(0, n * FRAME_VALUES),
        nonEmptyFrameIdxs: this.idxs.subarray(0, n * IDX_VALUES),
      },
      rejects,
      participantStats: stats,
    };
  }

  private claim(slot: number): void {
    if (this.accepted[slot] === 1 || this.rejects.has(slot) || slot < 0 || slot >= this.plan.files.length) {
      throw new RangeError(`${this.plan.name}: slot ${slot} settled twice or out of range`);
    }
    this.remaining--;
  }
}
