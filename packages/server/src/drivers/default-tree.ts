import { DRIVER_CASE_KPIS, type MetricsNode, type MetricsTree, MetricsTreeSchema } from '@cx/core';

/**
 * The tree a new installation starts with, shaped after the demo company's causal model
 * (docs/demo-data.md "Scores"): NPS ← each journey's CSAT ← its touchpoints' CSAT ← experience
 * elements ← service KPIs of the case. Touchpoints group the surveyed touchpoints; digital ones have
 * no courtesy or competence (nobody served the customer) and no waits, so they stop at speed and ease.
 * Service KPIs hang under the hotline's speed, ease and competence: the call centre is where waits,
 * repeated contacts, transfers and first-contact resolution are measured per case.
 */
const JOURNEYS: {
  id: string;
  /** A role, not a person: who answers for the journey (roll-ups by owner read it). */
  owner: string;
  label: string;
  touchpoints: { id: string; label: string; values: string[] }[];
}[] = [
  {
    id: 'billing_question',
    owner: 'Head of Billing',
    label: 'Billing question',
    touchpoints: [
      { id: 'hotline', label: 'Hotline', values: ['hotline'] },
      { id: 'chat', label: 'Chat', values: ['chat'] },
      { id: 'digital', label: 'App and website', values: ['app', 'website'] },
    ],
  },
  {
    id: 'tech_support',
    owner: 'Head of Technical Service',
    label: 'Tech support',
    touchpoints: [
      { id: 'hotline', label: 'Hotline', values: ['hotline'] },
      { id: 'digital', label: 'App and website', values: ['app', 'website'] },
    ],
  },
  {
    id: 'upgrade',
    owner: 'Head of Sales',
    label: 'Upgrade',
    touchpoints: [
      { id: 'digital', label: 'App and website', values: ['app', 'website'] },
      { id: 'shop', label: 'Shop', values: ['shop'] },
      { id: 'hotline', label: 'Hotline', values: ['hotline'] },
    ],
  },
  {
    id: 'onboarding',
    owner: 'Head of Sales',
    label: 'Onboarding',
    touchpoints: [
      { id: 'digital', label: 'App and website', values: ['app', 'website'] },
      { id: 'hotline', label: 'Hotline', values: ['hotline'] },
      { id: 'shop', label: 'Shop', values: ['shop'] },
    ],
  },
  {
    id: 'complaint',
    owner: 'Head of Customer Care',
    label: 'Complaint',
    touchpoints: [
      { id: 'hotline', label: 'Hotline', values: ['hotline'] },
      { id: 'written', label: 'E-mail and website', values: ['email', 'website'] },
    ],
  },
];

const ELEMENTS = [
  { id: 'speed', label: 'Speed' },
  { id: 'ease', label: 'Ease' },
  { id: 'courtesy', label: 'Courtesy' },
  { id: 'competence', label: 'Competence' },
];
const KPIS = ['wait_minutes', 'assisted_contacts', 'transfers', 'first_contact_resolution'] as const;
const KPI_PARENTS = new Set(['speed', 'ease', 'competence']);

export function defaultMetricsTree(): MetricsTree {
  const nodes: MetricsNode[] = [];
  const root: MetricsNode = { id: 'nps', label: 'NPS', kind: 'score', measure: 'nps', children: [] };
  nodes.push(root);
  for (const j of JOURNEYS) {
    const jid = `${j.id}`;
    const journey: MetricsNode = {
      id: jid,
      label: j.label,
      kind: 'journey',
      measure: 'csat',
      filter: { journeys: [j.id] },
      owner: j.owner,
      children: [],
    };
    root.children.push(jid);
    nodes.push(journey);
    for (const t of j.touchpoints) {
      const tid = `${jid}/${t.id}`;
      const assisted = t.id === 'hotline' || t.id === 'chat' || t.id === 'shop';
      const tp: MetricsNode = {
        id: tid,
        label: t.label,
        kind: 'touchpoint',
        measure: 'csat',
        filter: { touchpoints: t.values },
        children: [],
      };
      journey.children.push(tid);
      nodes.push(tp);
      for (const e of assisted ? ELEMENTS : ELEMENTS.slice(0, 2)) {
        const eid = `${tid}/${e.id}`;
        const el: MetricsNode = {
          id: eid,
          label: e.label,
          kind: 'element',
          measure: `element:${e.id}`,
          children: [],
        };
        tp.children.push(eid);
        nodes.push(el);
        if (t.id !== 'hotline' || !KPI_PARENTS.has(e.id)) continue;
        for (const k of KPIS) {
          const kid = `${eid}/${k}`;
          const spec = DRIVER_CASE_KPIS[k];
          el.children.push(kid);
          nodes.push({
            id: kid,
            label: spec.label,
            kind: 'kpi',
            measure: `kpi:${k}`,
            children: [],
            direction: spec.direction,
            target: spec.target,
          });
        }
      }
    }
  }
  // Parsed, so the built-in default obeys the same rules as a saved tree.
  return MetricsTreeSchema.parse({ root: root.id, nodes });
}
