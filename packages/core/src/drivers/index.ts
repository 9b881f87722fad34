export { type DriverAnalysisOptions, driverAnalysis } from './bootstrap.ts';
export { completeColumns, driverCorrelation } from './correlation.ts';
export * from './importance-performance.ts';
export {
  relativeWeights,
  relativeWeightsFromCorrelation,
  SHAPLEY_MAX_DRIVERS,
  shapleyR2,
} from './relative-weights.ts';
export type * from './types.ts';
