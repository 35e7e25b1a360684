import type { Projection } from '../../projection.js';

export const developmentsProjections: Projection[] = [];
