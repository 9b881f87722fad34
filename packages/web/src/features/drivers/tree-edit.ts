import type { MetricsNode, MetricsTree } from '@cx/core';

/**
 * Edits of the metrics tree in the browser; the server validates the whole tree on save (unknown
 * ids, cycles, measures) and its message names the node, so these only keep the shape consistent.
 */
export function renameNode(tree: MetricsTree, id: string, label: string): MetricsTree {
  return { ...tree, nodes: tree.nodes.map((n) => (n.id === id ? { ...n, label } : n)) };
}

export function setMeasure(tree: MetricsTree, id: string, measure: string): MetricsTree {
  return { ...tree, nodes: tree.nodes.map((n) => (n.id === id ? { ...n, measure } : n)) };
}

/** Sets who owns the node (journey owners feed the prediction roll-up by owner); '' removes it. */
export function setOwner(tree: MetricsTree, id: string, owner: string): MetricsTree {
  return {
    ...tree,
    nodes: tree.nodes.map((n) => {
      if (n.id !== id) return n;
      const { owner: _old, ...rest } = n;
      return owner ? { ...rest, owner } : rest;
    }),
  };
}

/** Adds `child` under `parentId`. */
export function addChild(tree: MetricsTree, parentId: string, child: MetricsNode): MetricsTree {
  return {
    ...tree,
    nodes: [
      ...tree.nodes.map((n) => (n.id === parentId ? { ...n, children: [...n.children, child.id] } : n)),
      child,
    ],
  };
}

/** Removes a node with its whole subtree (a node without a parent would be refused on save). */
export function removeNode(tree: MetricsTree, id: string): MetricsTree {
  if (id === tree.root) return tree;
  const byId = new Map(tree.nodes.map((n) => [n.id, n]));
  const gone = new Set<string>();
  const stack = [id];
  while (stack.length) {
    const x = stack.pop()!;
    if (gone.has(x)) continue;
    gone.add(x);
    stack.push(...(byId.get(x)?.children ?? []));
  }
  return {
    ...tree,
    nodes: tree.nodes
      .filter((n) => !gone.has(n.id))
      .map((n) =>
        n.children.some((c) => gone.has(c)) ? { ...n, children: n.children.filter((c) => !gone.has(c)) } : n,
      ),
  };
}

/** Ancestors of a node, root first (excluding the node). */
export function ancestorsOf(tree: MetricsTree, id: string): string[] {
  const parentOf = new Map<string, string>();
  for (const n of tree.nodes) for (const c of n.children) parentOf.set(c, n.id);
  const out: string[] = [];
  for (let p = parentOf.get(id); p !== undefined; p = parentOf.get(p)) out.unshift(p);
  return out;
}
