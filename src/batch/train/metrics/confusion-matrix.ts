/** Counts of (true sign, predicted sign) over an evaluation; row = truth, column = prediction. */
export class ConfusionMatrix {
  readonly counts: Uint32Array;

  constructor(readonly classes: number) {
    this.counts = new Uint32Array(classes * classes);
  }

  static fromCounts(classes: number, counts: ArrayLike<number>): ConfusionMatrix {
    if (counts.length !== classes * classes) {
      throw new RangeError(`${counts.length} counts for ${classes} classes`);
    }
    const m = new ConfusionMatrix(classes);
    m.counts.set(counts);
    return m;
  }

  add(truth: number, predicted: number): void {
    this.counts[truth * this.classes + predicted]!++;
  }

  at(truth: number, predicted: number): number {
    return this.counts[truth * this.classes + predicted]!;
  }

  get total(): number {
    return this.counts.reduce((a, b) => a + b, 0);
  }

  /** Non-zero cells only: 250 x 250 is mostly zeros, and this keeps evaluation.json small. */
  toSparse(): [truth: number, predicted: number, count: number][] {
    const cells: [number, number, number][] = [];
    this.counts.forEach((n, i) => {
      if (n > 0) cells.push([Math.floor(i / this.classes), i % this.classes, n]);
    });
    return cells;
  }

  static fromSparse(classes: number, cells: readonly (readonly [number, number, number])[]): ConfusionMatrix {
    const m = new ConfusionMatrix(classes);
    for (const [t, p, n] of cells) m.counts[t * classes + p] = n;
    return m;
  }
}
