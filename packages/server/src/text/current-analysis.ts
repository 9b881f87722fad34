import type { text } from '@cx/core';
import type { AppStore } from '../app-store/port.ts';
import { type ActiveModels, activeModels } from './model-store.ts';
import { getTaxonomy } from './taxonomy-store.ts';

/**
 * What the text enrichment of new comments uses right now: the current taxonomy and the active
 * trained models (sentiment, theme). Every ingest path asks here, so a file import, a batch message
 * and a survey response are analysed alike.
 */
export interface TextAnalysis {
  taxonomy: text.Taxonomy;
  models: ActiveModels;
}

export async function currentTextAnalysis(appStore: AppStore): Promise<TextAnalysis> {
  const [t, models] = await Promise.all([getTaxonomy(appStore), activeModels(appStore)]);
  return { taxonomy: t.taxonomy, models };
}
