import { Field, FixedSizeList, Float32, Int16, Int32, Int64, Schema } from 'apache-arrow';
import { FRAME_VALUES, IDX_VALUES } from '../../../shared/bundle/model-contract.ts';

/** A row holds one clip's model inputs, laid out as the model contract's; the names are the format's. */
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
