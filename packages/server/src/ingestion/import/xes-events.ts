import type { WarehouseSession } from '../../warehouse/port.ts';
import { readXes, type XesAttributes, type XesEvent } from '../readers/xes.ts';

/**
 * XES → events. The reader streams batches in constant memory; each batch is appended to the stage.
 * Mapping (fixed): trace `concept:name` → case_id (and customer_id: a process log has no other
 * customer), event `concept:name` → activity, `time:timestamp` → ts (true UTC instant),
 * `lifecycle:transition` → lifecycle, `org:resource` → resource. Every other event attribute goes
 * into `properties` under its own key, every trace attribute under `case:<key>` — the names the
 * same log gets in its CSV export, so an XES and a CSV import of one log store the same JSON.
 */
const BASE_COLUMNS = [
  'customer_id',
  'case_id',
  'ts',
  'activity',
  'source_system',
  'resource',
  'lifecycle',
  'properties',
  '_ord',
  '_line',
];

export async function stageXes(
  tx: WarehouseSession,
  path: string,
  file: string,
  stage: string,
  sourceSystem: string,
  constants: Record<string, string>,
  onProgress?: (done: number, total?: number) => void,
): Promise<number> {
  const constCols = Object.keys(constants).filter((c) => !BASE_COLUMNS.includes(c) || c === 'source_system');
  const system = constants.source_system ?? sourceSystem;
  const extraCols = constCols.filter((c) => c !== 'source_system');
  const extraVals = extraCols.map((c) => constants[c]!);
  const columns = [...BASE_COLUMNS, ...extraCols];
  // Trace attributes are one shared object per trace: serialise each once.
  const caseJson = new WeakMap<XesAttributes, string>();
  const caseFields = (attrs: XesAttributes): string => {
    let s = caseJson.get(attrs);
    if (s === undefined) {
      const parts: string[] = [];
      for (const k in attrs) parts.push(`${JSON.stringify(`case:${k}`)}:${JSON.stringify(attrs[k])}`);
      s = parts.join(',');
      caseJson.set(attrs, s);
    }
    return s;
  };
  const properties = (e: XesEvent): string | null => {
    const c = caseFields(e.caseAttributes);
    let ev = '';
    for (const k in e.attributes)
      ev += `${ev ? ',' : ''}${JSON.stringify(k)}:${JSON.stringify(e.attributes[k])}`;
    if (!c && !ev) return null;
    return `{${c}${c && ev ? ',' : ''}${ev}}`;
  };
  let done = 0;
  for await (const batch of readXes(path, { fileLabel: file })) {
    await tx.append(
      stage,
      columns,
      batch.map((e) => [
        e.caseId,
        e.caseId,
        e.ts,
        e.activity,
        system,
        e.resource,
        e.lifecycle,
        properties(e),
        e.ordinal,
        e.line,
        ...extraVals,
      ]),
    );
    done += batch.length;
    onProgress?.(done);
  }
  return done;
}
