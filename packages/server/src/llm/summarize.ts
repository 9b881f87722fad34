import { type CustomerFile, type CustomerSummary, summarizeCustomer, summaryMessages } from '@cx/core';
import type { LlmClient } from './client.ts';

/**
 * The summary of a customer file: the extractive one, or — when asked and an LLM is configured —
 * the model's, written from the PII-redacted file. Any LLM failure falls back to the extractive
 * summary with a visible note, so the page always has a summary.
 */
export async function summarizeFile(
  file: CustomerFile,
  opts: { llm?: LlmClient | undefined; useLlm: boolean },
): Promise<CustomerSummary> {
  const extractive = summarizeCustomer(file);
  if (!opts.useLlm) return extractive;
  if (!opts.llm) {
    return { ...extractive, note: 'LLM unavailable: no LLM is configured (set CX_LLM_URL)' };
  }
  try {
    const text = await opts.llm.complete(summaryMessages(file));
    return { source: 'llm', text, sentences: [text], model: opts.llm.model, note: null };
  } catch (e) {
    return { ...extractive, note: `LLM unavailable: ${(e as Error).message}` };
  }
}
