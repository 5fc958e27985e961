import { Field, FixedSizeList, Float32, Int16, Int32, Int64, Schema } from 'apache-arrow';
import { INPUT_SIZE, N_COORDS, N_POINTS } from '../../../shared/preprocess/constants.ts';

/** Values per row of `frames`: 64 frames x 66 points x 3 coordinates, row-major. */
export const FRAME_VALUES = INPUT_SIZE * N_POINTS * N_COORDS;
/** Values per row of `non_empty_frame_idxs`. */
export const IDX_VALUES = INPUT_SIZE;

export const COLUMN = {
  sequenceId: 'sequence_id',
  participantId: 'participant_id',
  label: 'label',
  frames: 'frames',
  nonEmptyFrameIdxs: 'non_empty_frame_idxs',
} as const;

/** No column is nullable: an unknown sign is label -1 and a missing landmark is already 0. */
export const SHARD_SCHEMA = new Schema([
  new Field(COLUMN.sequenceId, new Int64(), false),
  new Field(COLUMN.participantId, new Int32(), false),
  new Field(COLUMN.label, new Int16(), false),
  new Field(COLUMN.frames, new FixedSizeList(FRAME_VALUES, new Field('item', new Float32(), false)), false),
  new Field(
    COLUMN.nonEmptyFrameIdxs,
    new FixedSizeList(IDX_VALUES, new Field('item', new Float32(), false)),
    false,
  ),
]);
