export * as demo from './demo/index.ts';
export * from './errors.ts';
export * from './journeys/discover.ts';
export * from './schemas/batch.ts';
export * from './schemas/overview.ts';
export * from './schemas/tables.ts';
export * from './scope.ts';
export * from './stats/index.ts';
