import { type DataScope, text } from '@cx/core';
import { and, type Period, periodSql, scopeSql } from '../queries/scope-sql.ts';
import type { WarehouseSession } from '../warehouse/port.ts';

/**
 * Automatic themes of the comments in the feedback table: the comments of the period and scope are
 * selected in the database, clustered in core (`clusterTexts`), and — when the period is bounded —
 * compared with the period of the same length just before it: the earlier comments are assigned to
 * the same clusters, and a cluster whose share rose significantly is flagged as emerging.
 */
export interface CommentClusters {
  period: { from: string | null; to: string | null };
  comments: number;
  /** Comments beyond `limit` are not clustered (the newest are kept). */
  truncated: boolean;
  k: number;
  unclustered: number;
  clusters: {
    id: number;
    label: string;
    size: number;
    share: number;
    terms: { term: string; weight: number }[];
    examples: { responseId: string; text: string; similarity: number }[];
    /** Against the previous period of equal length; null when the period is open-ended. */
    trend: { previousShare: number; changePoints: number; p: number; emerging: boolean } | null;
  }[];
}

async function comments(
  db: WarehouseSession,
  scope: DataScope,
  period: Period,
  limit: number,
): Promise<{ response_id: string; comment: string }[]> {
  const where = and(scopeSql(scope, 'f', 'feedback'), periodSql(period, 'f'));
  const rows = await db.all<{ response_id: string; comment: string }>(
    `select response_id, comment from feedback f
     where comment is not null and trim(comment) <> '' and ${where.sql}
     order by ts desc nulls last, response_id limit ?`,
    [...where.params, limit + 1],
  );
  return rows;
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function commentClusters(
  db: WarehouseSession,
  scope: DataScope,
  period: Period,
  opts: { k?: number; limit?: number } = {},
): Promise<CommentClusters> {
  const limit = opts.limit ?? 20_000;
  const rows = await comments(db, scope, period, limit);
  const truncated = rows.length > limit;
  if (truncated) rows.length = limit;
  const r = text.clusterTexts(
    rows.map((x) => x.comment),
    opts.k === undefined ? {} : { k: opts.k },
  );
  let trend: Map<number, CommentClusters['clusters'][number]['trend']> | null = null;
  if (period.from && period.to && r.k > 0) {
    const from = Date.parse(`${period.from}T00:00:00Z`);
    const days = Math.round((Date.parse(`${period.to}T00:00:00Z`) - from) / DAY) + 1;
    const prev = await comments(db, scope, { from: iso(from - days * DAY), to: iso(from - DAY) }, limit);
    const assigned = text.assignToClusters(
      r.model,
      prev.map((x) => x.comment),
    );
    const prevCounts: Record<string, number> = {};
    let prevTotal = 0;
    for (const a of assigned)
      if (a >= 0) {
        prevCounts[a] = (prevCounts[a] ?? 0) + 1;
        prevTotal++;
      }
    const curCounts: Record<string, number> = {};
    for (const c of r.clusters) curCounts[c.id] = c.size;
    const curTotal = rows.length - r.unclustered;
    trend = new Map();
    if (prevTotal > 0) {
      for (const e of text.emergingThemes(
        { total: curTotal, counts: curCounts },
        { total: prevTotal, counts: prevCounts },
      ))
        trend.set(Number(e.key), {
          previousShare: e.previous.share,
          changePoints: e.changePoints,
          p: e.pAdjusted,
          emerging: e.emerging,
        });
    }
  }
  return {
    period: { from: period.from ?? null, to: period.to ?? null },
    comments: rows.length,
    truncated,
    k: r.k,
    unclustered: r.unclustered,
    clusters: r.clusters.map((c) => ({
      id: c.id,
      label: c.label,
      size: c.size,
      share: c.share,
      terms: c.terms,
      examples: c.examples.map((e) => ({
        responseId: rows[e.index]!.response_id,
        text: e.text,
        similarity: e.similarity,
      })),
      trend: trend ? (trend.get(c.id) ?? null) : null,
    })),
  };
}
