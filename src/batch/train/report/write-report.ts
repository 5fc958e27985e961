import { rename, writeFile } from 'node:fs/promises';
import { runPath } from '../run-dir/run-layout.ts';
import { loadReportData } from './report-data.ts';
import { renderReport } from './render-report.ts';

/** Renders `<runDir>/report.html` from what the run directory holds now; replaces it atomically. */
export async function writeReport(runDir: string): Promise<string> {
  const html = await renderReport(loadReportData(runDir));
  const path = runPath(runDir, 'report');
  await writeFile(`${path}.tmp`, html);
  await rename(`${path}.tmp`, path);
  return path;
}
