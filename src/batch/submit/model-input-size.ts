import { INPUT_SIZE, N_COORDS, N_POINTS } from '../../shared/preprocess/constants.ts';

/** Values of one clip's `frames` input (64 x 66 x 3) and `non_empty_frame_idxs` input (64). */
export const FRAME_VALUES = INPUT_SIZE * N_POINTS * N_COORDS;
export const IDX_VALUES = INPUT_SIZE;
