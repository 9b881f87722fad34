/** `?, ?, ?`: n positional parameter marks, for an `in (…)` list whose values travel as parameters. */
export const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');
