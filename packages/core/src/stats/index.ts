export * from './csat.ts';
export * from './mean.ts';
export * from './nps.ts';
export * from './significance.ts';
export * from './student-t.ts';
