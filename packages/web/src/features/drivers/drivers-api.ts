import type {
  DriverFilters,
  DriverLink,
  DriverWhatIf,
  MetricsTree,
  MetricsTreeVersion,
  StoredMetricsTree,
} from '@cx/core';
import { useEffect, useState } from 'react';
import { getJson, postJson, sendJson } from '../../lib/api.ts';

/**
 * The metrics-tree API (/api/drivers/*) as the Drivers page uses it. Link analyses are remembered per
 * tree version, node and filters for the page's lifetime (the server caches them too), so expanding
 * the tree and going back to a node does not ask again.
 */
export const RESAMPLES = 1000;

export const getTree = () => getJson<StoredMetricsTree>('/api/drivers/tree');
export const getVersions = () => getJson<MetricsTreeVersion[]>('/api/drivers/tree/versions');
export const saveTree = (tree: MetricsTree, comment: string) =>
  sendJson<StoredMetricsTree>('PUT', '/api/drivers/tree', { tree, comment, author: 'cockpit' });
export const postWhatIf = (body: {
  nodeId: string;
  childId: string;
  delta: number;
  filters: DriverFilters;
}) => postJson<DriverWhatIf>('/api/drivers/what-if', body);

export type LinkState =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; link: DriverLink };

const links = new Map<string, Promise<DriverLink>>();

function fetchLink(nodeId: string, filters: DriverFilters): Promise<DriverLink> {
  const key = JSON.stringify([nodeId, filters]);
  let p = links.get(key);
  if (!p) {
    p = postJson<DriverLink>('/api/drivers/node', { nodeId, filters, resamples: RESAMPLES });
    p.catch(() => links.delete(key));
    links.set(key, p);
  }
  return p;
}

/** Forget remembered analyses (after a tree is saved: ids may now mean other nodes). */
export function forgetLinks() {
  links.clear();
}

/** The link analyses of several nodes, loaded in parallel; null ids are skipped. */
export function useLinks(nodeIds: readonly string[], filters: DriverFilters, generation: number) {
  const [states, setStates] = useState<Record<string, LinkState>>({});
  const key = JSON.stringify([nodeIds, filters, generation]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for ids, filters and generation.
  useEffect(() => {
    let live = true;
    for (const id of nodeIds) {
      setStates((s) => (s[id]?.state === 'ready' ? s : { ...s, [id]: { state: 'loading' } }));
      fetchLink(id, filters).then(
        (link) => live && setStates((s) => ({ ...s, [id]: { state: 'ready', link } })),
        (e: Error) => live && setStates((s) => ({ ...s, [id]: { state: 'error', message: e.message } })),
      );
    }
    return () => {
      live = false;
    };
  }, [key]);
  // A filter change must not show the previous filter's figures as current.
  const [shownKey, setShownKey] = useState(key);
  useEffect(() => {
    if (shownKey !== key) {
      setStates({});
      setShownKey(key);
    }
  }, [key, shownKey]);
  return states;
}
