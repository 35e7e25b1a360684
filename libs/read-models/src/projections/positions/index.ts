import type { Projection } from '../../projection.js';

export const positionsProjections: Projection[] = [];
