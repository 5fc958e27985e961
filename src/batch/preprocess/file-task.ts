/** What the main thread asks a preprocessing worker to do: one parquet file. */
export interface FileTask {
  /** Absolute path; the worker reads the file itself so file bytes never cross threads. */
  readonly file: string;
}

export type FileResult =
  | {
      readonly ok: true;
      /** 64x66x3, transferred (its buffer belongs to the receiver). */
      readonly frames: Float32Array;
      /** 64, transferred. */
      readonly nonEmptyFrameIdxs: Float32Array;
    }
  | { readonly ok: false; readonly code: string; readonly message: string };
