import type { Projection } from '../../projection.js';

export const partiesProjections: Projection[] = [];
