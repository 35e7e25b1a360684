export * from './migrations/index.js';
export * from './projection.js';
export * from './sql.js';
export * from './projections/index.js';
export { developmentChannel } from './projections/timeline/timeline.projection.js';
export * from './runner/projection-runner.js';
export * from './runner/projection-setup.js';
export * from './runner/caught-up.js';
export * from './read-models.module.js';
