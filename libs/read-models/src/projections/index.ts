import type { Projection } from '../projection.js';
import { developmentsProjections } from './developments/index.js';
import { partiesProjections } from './parties/index.js';
import { positionsProjections } from './positions/index.js';
import { relationsProjections } from './relations/index.js';
import { timelineProjection } from './timeline/timeline.projection.js';

/** Every read model the projector keeps. */
export const projections: readonly Projection[] = [
  ...partiesProjections,
  ...positionsProjections,
  ...developmentsProjections,
  ...relationsProjections,
  timelineProjection,
];
