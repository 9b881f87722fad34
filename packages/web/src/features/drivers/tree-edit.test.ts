import { MetricsTreeSchema } from '@cx/core';
import { describe, expect, it } from 'vitest';
import { addChild, ancestorsOf, removeNode, renameNode, setOwner } from './tree-edit.ts';

const tree = MetricsTreeSchema.parse({
  root: 'r',
  nodes: [
    { id: 'r', label: 'R', kind: 'score', measure: 'nps', children: ['a', 'b'] },
    { id: 'a', label: 'A', kind: 'element', measure: 'element:a', children: ['a1'] },
    { id: 'a1', label: 'A1', kind: 'kpi', measure: 'kpi:transfers', children: [] },
    { id: 'b', label: 'B', kind: 'element', measure: 'element:b', children: [] },
  ],
});

describe('tree edits', () => {
  it('removes a node with its subtree and the link to it, leaving a valid tree', () => {
    const t = removeNode(tree, 'a');
    expect(t.nodes.map((n) => n.id)).toEqual(['r', 'b']);
    expect(t.nodes[0]!.children).toEqual(['b']);
    expect(MetricsTreeSchema.safeParse(t).success).toBe(true);
    expect(removeNode(tree, 'r')).toBe(tree);
  });

  it('sets and clears an owner', () => {
    const owned = setOwner(tree, 'a', 'Head of Billing');
    expect(owned.nodes.find((n) => n.id === 'a')!.owner).toBe('Head of Billing');
    expect(MetricsTreeSchema.safeParse(owned).success).toBe(true);
    expect('owner' in setOwner(owned, 'a', '').nodes.find((n) => n.id === 'a')!).toBe(false);
  });

  it('adds and renames', () => {
    const t = renameNode(
      addChild(tree, 'b', { id: 'b1', label: 'B1', kind: 'kpi', measure: 'kpi:wait_minutes', children: [] }),
      'b',
      'Bee',
    );
    expect(t.nodes.find((n) => n.id === 'b')).toMatchObject({ label: 'Bee', children: ['b1'] });
    expect(MetricsTreeSchema.safeParse(t).success).toBe(true);
    expect(ancestorsOf(t, 'b1')).toEqual(['r', 'b']);
  });
});
