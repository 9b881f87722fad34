import cliProgress from 'cli-progress';

/**
 * A progress bar on stderr with rows/s, shown only when stderr is a terminal or CX_PROGRESS=1 and the
 * work lasts longer than a second; otherwise a no-op, so piped output and tests stay clean.
 */
export interface Progress {
  /** Sets the absolute count done (and optionally the total, when it becomes known). */
  update(done: number, total?: number): void;
  stop(): void;
}

export function startProgress(label: string, total = 0, unit = 'rows'): Progress {
  const enabled = process.stderr.isTTY || process.env.CX_PROGRESS === '1';
  if (!enabled) return { update() {}, stop() {} };
  const started = Date.now();
  let bar: cliProgress.SingleBar | null = null;
  let last = 0;
  let lastTotal = total;
  const rate = (done: number) => Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
  return {
    update(done, newTotal) {
      last = done;
      if (newTotal !== undefined) lastTotal = newTotal;
      if (!bar) {
        if (Date.now() - started < 1000) return;
        bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: `${label} {bar} {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s`,
            noTTYOutput: true,
            notTTYSchedule: 2000,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(lastTotal || done, done, { rate: rate(done) });
      }
      if (lastTotal) bar.setTotal(Math.max(lastTotal, done));
      else bar.setTotal(done);
      bar.update(done, { rate: rate(done) });
    },
    stop() {
      if (bar) {
        bar.update(last, { rate: rate(last) });
        bar.stop();
      }
    },
  };
}
