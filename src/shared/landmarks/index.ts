export type { Clip } from './clip.ts';
export { LandmarkFileError, isLandmarkFileError, type LandmarkErrorCode } from './errors.ts';
export {
  COORDS,
  LANDMARK_COUNTS,
  LANDMARK_OFFSETS,
  LANDMARK_TYPES,
  POINTS_PER_FRAME,
  VALUES_PER_FRAME,
  isLandmarkType,
  type LandmarkType,
} from './layout.ts';
export type { ReadOptions } from './read-options.ts';
export { readLandmarkParquet } from './read-parquet.ts';
export { readLandmarkArrow } from './read-arrow.ts';
export { readLandmarkJson } from './read-json.ts';
