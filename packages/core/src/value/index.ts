export * from './clv.ts';
export * from './did.ts';
export * from './intervals.ts';
export * from './money.ts';
export * from './schemas.ts';
