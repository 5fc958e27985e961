import type { BundleManifest, ModelVariant } from '../../shared/bundle/manifest.ts';
import type { ExportedVariantMetrics } from './bundle/exported-metrics.ts';
import type { ExportResult } from './export-bundle.ts';
import type { QuantizationReport } from './quantize/quantize-model.ts';
import type { RuntimeName } from './runtime/model-runner.ts';

const RUNTIMES: readonly [RuntimeName, string][] = [
  ['onnxruntime-node', 'onnxruntime-node'],
  ['onnxruntime-web-wasm', 'onnxruntime-web WASM SIMD'],
];

const pct = (x: number | undefined, digits = 2): string =>
  x === undefined ? '-' : `${(x * 100).toFixed(digits)} %`;
const ms = (x: number | undefined): string => (x === undefined ? '-' : `${x.toFixed(2)} ms`);

function row(label: string, a: string, b: string, note = ''): string {
  return `  ${label.padEnd(52)} ${a.padStart(10)} ${b.padStart(10)}${note ? `   ${note}` : ''}`;
}

/** The export's closing report: every figure the manifest records, against the issue's targets. */
export function formatExportSummary(
  outDir: string,
  manifest: BundleManifest,
  report: QuantizationReport,
  validation: string,
  timing?: ExportResult['timingConditions'],
): string {
  const m = manifest.metrics as Partial<Record<ModelVariant, ExportedVariantMetrics>>;
  const f = m.float32 ?? {};
  const q = m.int8 ?? {};
  const size = (v: ModelVariant) => manifest.files[v]?.bytes ?? 0;
  const quantized = report.decisions.filter((d) => d.quantized);
  const perChannel = new Set(quantized.filter((d) => d.granularity === 'per-channel').map((d) => d.weight))
    .size;
  // Float weights grouped by why they stayed float.
  const kept = new Map<string, string[]>();
  for (const d of report.decisions.filter((x) => !x.quantized)) {
    const reason = d.reason ?? '';
    kept.set(reason, [...(kept.get(reason) ?? []), d.computedAs ?? d.weight]);
  }
  const float = [...kept].map(([reason, names]) => `${names.join(', ')} (${reason})`).join('; ');
  const lossPoints = ((f.accuracy ?? 0) - (q.accuracy ?? 0)) * 100;
  const lines = [
    `bundle ${outDir} (model id ${manifest.modelId})`,
    `  from ${manifest.training.run}${manifest.training.step !== undefined ? `, step ${manifest.training.step}` : ''}${manifest.training.epochs !== undefined ? `, ${manifest.training.epochs} epochs` : ''}`,
    `  measured on ${validation}`,
    `  int8: ${new Set(quantized.map((d) => d.weight)).size} weights (${perChannel} per channel), ${report.quantizedElements.toLocaleString('en-US')} values`,
    `  float: ${float || 'none'}`,
    '',
    row('', 'float32', 'int8'),
    row(
      'size',
      `${(size('float32') / 1e6).toFixed(2)} MB`,
      `${(size('int8') / 1e6).toFixed(2)} MB`,
      `int8 = ${pct(size('int8') / size('float32'), 1)} of float32`,
    ),
    row(
      'accuracy',
      pct(f.accuracy),
      pct(q.accuracy),
      `int8 loses ${lossPoints.toFixed(2)} points (target <= 0.5)`,
    ),
    row('top-5', pct(f.top5), pct(q.top5)),
    row('top-10', pct(f.top10), pct(q.top10)),
    row('top-1 agreement with float32', '', pct(q.top1AgreementWithFloat32), 'target >= 99 %'),
    ...(q.batched
      ? [
          row(
            `int8 in batches of ${q.batched.batch}: accuracy, agreement`,
            pct(q.batched.accuracy),
            pct(q.batched.top1AgreementWithFloat32),
          ),
        ]
      : []),
    ...RUNTIMES.map(([key, label]) =>
      row(
        `latency/clip, batch 1, 1 thread, ${label}`,
        ms(f.latencyMs?.[key]),
        ms(q.latencyMs?.[key]),
        `min ${ms(f.latencyMinMs?.[key])} / ${ms(q.latencyMinMs?.[key])}, p95 ${ms(f.latencyP95Ms?.[key])} / ${ms(q.latencyP95Ms?.[key])}`,
      ),
    ),
    ...(timing
      ? [
          `  (timed with a 1-minute load average of ${timing.loadBefore.toFixed(1)} -> ${timing.loadAfter.toFixed(1)} on ${timing.cores} cores)`,
        ]
      : []),
    row(
      'node vs web: max |p diff| (target 1e-4)',
      f.parityNodeWeb ? f.parityNodeWeb.maxAbsDiff.toExponential(1) : '-',
      q.parityNodeWeb ? q.parityNodeWeb.maxAbsDiff.toExponential(1) : '-',
      `${f.parityNodeWeb?.clips ?? 0} clips`,
    ),
    row(
      'node vs web: same top-1',
      pct(f.parityNodeWeb?.top1Agreement, 1),
      pct(q.parityNodeWeb?.top1Agreement, 1),
    ),
  ];
  return `${lines.join('\n')}\n`;
}
