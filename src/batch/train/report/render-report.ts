import { basename } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { serializeConfig } from '../../model/config/serialize-config.ts';
import type { SplitMetrics } from '../metrics/split-metrics.ts';
import {
  accuracyChart,
  f1Chart,
  landmarkWeightsChart,
  lossChart,
  scheduleChart,
  softmaxHistogramChart,
} from './report-charts.ts';
import type { ReportData } from './report-data.ts';
import { renderVegaLite } from './render-vega-lite.ts';

/** Confused pairs listed in the report (best/evaluation.json keeps a few more). */
const PAIRS_SHOWN = 20;

/**
 * report.html: one self-contained page (inline CSS and SVG, no scripts, no external references), so it
 * opens from disk, from an archive or as an e-mail attachment.
 */
export async function renderReport(data: ReportData): Promise<string> {
  const { config, epochs, initialCheck, best, record } = data;
  const last = epochs.at(-1);
  const chart = async (spec: TopLevelSpec) => `<figure>${await renderVegaLite(spec)}</figure>`;
  const sections: string[] = [];

  const summary: [string, string][] = [
    ['run', esc(basename(data.runDir))],
    [
      'epochs',
      `${epochs.length} of ${config.train.epochs} done${last ? `, ${last.step.toLocaleString('en-US')} steps` : ''}`,
    ],
    [
      'data',
      record
        ? `${esc(record.data)} (${record.trainClips} training clips, ${record.valClips} validation clips)`
        : '?',
    ],
    [
      'validation',
      record?.val === 'participants'
        ? `held-out signers ${record.heldOutSigners.join(', ')}`
        : 'none (trained on every signer)',
    ],
    ['parameters', data.parameterCount?.toLocaleString('en-US') ?? '?'],
  ];
  if (last)
    summary.push([
      'last epoch',
      metricsText('train', last.train) + (last.val ? `; ${metricsText('val', last.val)}` : ''),
    ]);
  if (best) summary.push(['best model', `epoch ${best.epoch}: ${metricsText('val', best.metrics)}`]);
  if (last) {
    const minutes = (pick: (r: (typeof epochs)[number]) => number) =>
      (epochs.reduce((sum, r) => sum + pick(r), 0) / 60).toFixed(1);
    summary.push([
      'speed',
      `${last.samplesPerSecond.toFixed(1)} samples/s in training steps (last epoch); ` +
        `${minutes((r) => r.trainSeconds)} min training + ${minutes((r) => r.valSeconds)} min validation in all`,
    ]);
  }
  sections.push(
    `<table class="kv">${summary.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table>`,
  );

  if (epochs.length > 0) {
    sections.push(
      '<h2>Learning curves</h2>',
      await chart(lossChart(epochs)),
      await chart(accuracyChart(epochs)),
    );
  } else {
    sections.push('<h2>Learning curves</h2><p class="note">No epoch has finished yet.</p>');
  }
  sections.push('<h2>Learning rate and weight decay</h2>', await chart(scheduleChart(config.train)));

  sections.push('<h2>Before training</h2>');
  if (initialCheck) {
    const h = initialCheck.histogram;
    sections.push(
      `<p>On one batch of ${initialCheck.batch} clips the initialised model predicted no NaN; loss ` +
        `${initialCheck.loss.toFixed(4)} against ${initialCheck.uniformLoss.toFixed(4)} for a uniform guess. ` +
        `${(100 * h.nearChance).toFixed(1)}% of its softmax outputs lie within a factor of 2 of 1/${h.classes} ` +
        `(range ${h.min.toExponential(2)} to ${h.max.toExponential(2)}).</p>`,
      await chart(softmaxHistogramChart(h)),
    );
  } else {
    sections.push('<p class="note">No initial check recorded.</p>');
  }

  const weighted = epochs.filter((r) => r.landmarkWeights);
  if (weighted.length > 0) {
    const w = weighted.at(-1)!.landmarkWeights!;
    sections.push(
      '<h2>Landmark weights</h2>',
      `<p>After epoch ${weighted.at(-1)!.epoch} the model mixes its landmark groups as ` +
        Object.entries(w)
          .map(([g, pct]) => `<b>${g}</b> ${pct.toFixed(1)}%`)
          .join(', ') +
        ' (softmax of the learned landmark weights; 33.3% each at the start).</p>',
      await chart(landmarkWeightsChart(weighted)),
    );
  }

  sections.push('<h2>Classification report</h2>');
  if (best) {
    const r = best.report;
    sections.push(
      `<p>The best model (epoch ${best.epoch}) on the ${best.metrics.samples} validation clips: accuracy ` +
        `${pct(r.accuracy)}, macro F1 ${r.macro.f1.toFixed(3)}, weighted F1 ${r.weighted.f1.toFixed(3)}.` +
        (r.unsupported.length > 0 ? ` ${r.unsupported.length} signs have no validation clips.` : '') +
        '</p>',
      await chart(f1Chart(r.signs)),
      '<h3>Most confused sign pairs</h3>',
      best.confusedPairs.length === 0
        ? '<p class="note">No confusions.</p>'
        : table(
            ['true sign', 'predicted as', 'clips', 'share of the sign'],
            best.confusedPairs
              .slice(0, PAIRS_SHOWN)
              .map((p) => [esc(p.truth), esc(p.predicted), String(p.count), pct(p.rate)]),
          ),
      '<h3>Per sign, by F1</h3>',
      table(
        ['sign', 'precision', 'recall', 'F1', 'support'],
        r.signs.map((s) => [
          esc(s.sign),
          s.precision.toFixed(3),
          s.recall.toFixed(3),
          s.f1.toFixed(3),
          String(s.support),
        ]),
      ),
    );
  } else {
    sections.push(
      `<p class="note">${record?.val === 'none' ? 'No validation split (--val none).' : 'No validated epoch yet.'}</p>`,
    );
  }

  sections.push('<h2>Config</h2>', `<pre>${esc(serializeConfig(config))}</pre>`);

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>signcast training report: ${esc(basename(data.runDir))}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; } h3 { margin-top: 1.5em; }
figure { margin: 1em 0; } svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; } td, th { padding: 2px 10px; text-align: left; }
table.data td:not(:first-child) { text-align: right; font-variant-numeric: tabular-nums; }
table.data tr:nth-child(even) { background: #f6f6f6; } table.kv th { color: #555; font-weight: normal; }
.note { color: #777; } pre { background: #f6f6f6; padding: 1em; }
</style>
</head>
<body>
<h1>signcast training report</h1>
<p class="note">Generated ${new Date().toISOString()} from ${esc(data.runDir)}</p>
${sections.join('\n')}
</body>
</html>
`;
}

function metricsText(name: string, m: SplitMetrics): string {
  return `${name} loss ${m.loss.toFixed(4)}, top-1 ${pct(m.accuracy)}, top-5 ${pct(m.top5)}, top-10 ${pct(m.top10)}`;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return (
    `<table class="data"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('') +
    '</tbody></table>'
  );
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
