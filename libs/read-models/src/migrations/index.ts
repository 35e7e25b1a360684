import { Journal1763900000000 } from '#journal';
import { ProjectionProgress1764000000000 } from './1764000000000-projection-progress.js';

/** Every migration of the schema, in order: the journal's first, then the read models'. */
export const migrations = [Journal1763900000000, ProjectionProgress1764000000000];
