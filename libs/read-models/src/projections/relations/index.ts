import type { Projection } from '../../projection.js';

export const relationsProjections: Projection[] = [];
