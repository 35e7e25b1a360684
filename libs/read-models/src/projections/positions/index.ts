import type { Projection } from '../../projection.js';
import { positionsProjection } from './positions.projection.js';

export { positionsProjection };
export * from './positions-at.js';
export const positionsProjections: Projection[] = [positionsProjection];
