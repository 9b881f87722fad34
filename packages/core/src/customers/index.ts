// Customer 360 (issue 6 §4): API contracts, the extractive summary and the redacted LLM prompt.
export * from './prompt.ts';
export * from './schemas.ts';
export * from './summary.ts';
