import type { Projection } from '../projection.js';
import { developmentsProjections } from './developments/index.js';
import { partiesProjections } from './parties/index.js';
import { positionsProjections } from './positions/index.js';
import { relationsProjections } from './relations/index.js';
import { timelineProjection } from './timeline/timeline.projection.js';

/**
 * Every read model the projector keeps, in the order a shared transaction applies them (ADR 0010).
 * Relations and positions come last: they take locks that a concurrent group's transaction may
 * hold (a relation's day row, a position's pair), and a transaction waits for those until the other
 * commits. Taken last, they leave the two groups free to apply everything else side by side.
 */
export const projections: readonly Projection[] = [
  ...partiesProjections,
  ...developmentsProjections,
  timelineProjection,
  ...relationsProjections,
  ...positionsProjections,
];
