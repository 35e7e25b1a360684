import type { Projection } from '../../projection.js';
import { relationsProjection } from './relations.projection.js';

export const relationsProjections: Projection[] = [relationsProjection];
