import type { Projection } from '../../projection.js';
import { partiesProjection } from './parties.projection.js';

export { partiesProjection };
export const partiesProjections: Projection[] = [partiesProjection];
