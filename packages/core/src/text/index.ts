// Text analytics (pure, browser-safe). Each module adds one line here.

export * from './baseline-tfidf-lr.ts';
export * from './classifier.ts';
export * from './cluster.ts';
export * from './default-taxonomy.ts';
export * from './enrich.ts';
export * from './language.ts';
export * from './redact.ts';
export * from './sentiment.ts';
export * from './themes.ts';
export * from './tokenize.ts';
