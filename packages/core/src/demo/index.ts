/** The demo company generator; exported from @cx/core as the `demo` namespace. */
export { type Comment, type CommentFacts, composeComment, type Lang } from './comments.ts';
export { DEMO_COLUMNS, type DemoBatch, type DemoOptions, type DemoRows, generateDemo } from './generate.ts';
export * from './model.ts';
