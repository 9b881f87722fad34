export * from './encode.ts';
export * from './evaluate.ts';
export * from './folds.ts';
export { createGbdtLearner, GBDT_DEFAULTS, type GbdtOptions, gbdtLearner, loadGbdt } from './gbdt.ts';
export * from './learners.ts';
export * from './logistic.ts';
export * from './metrics.ts';
export { syntheticDataset } from './synthetic.fixture.ts';
export * from './types.ts';
