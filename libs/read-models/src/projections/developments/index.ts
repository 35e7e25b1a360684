import type { Projection } from '../../projection.js';
import { demandsProjection } from './demands/demands.projection.js';
import { meetingsProjection } from './meetings/meetings.projection.js';
import { proposalsProjection } from './proposals/proposals.projection.js';
import { warningsProjection } from './warnings/warnings.projection.js';

/** The read models of demands, meetings, warnings and proposals: one projection each, rebuilt on its own. */
export const developmentsProjections: Projection[] = [demandsProjection, meetingsProjection, warningsProjection, proposalsProjection];
