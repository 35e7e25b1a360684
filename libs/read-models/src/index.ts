export * from './migrations/index.js';
export * from './projection.js';
export * from './sql.js';
export * from './projections/index.js';
export * from './runner/projection-runner.js';
export * from './runner/projection-setup.js';
export * from './runner/caught-up.js';
