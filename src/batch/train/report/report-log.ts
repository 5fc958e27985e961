import type { TrainingObserver } from '../loop/training-observer.ts';
import { writeReport } from './write-report.ts';

/**
 * Keeps report.html current: rewritten after the initial check, after every epoch's checkpoint and at
 * the end, so a long run can be watched from the file (rendering takes well under a second). A failure
 * to render is reported, never fatal: the data it needs is in the run directory either way.
 */
export class ReportLog implements TrainingObserver {
  constructor(
    private readonly runDir: string,
    private readonly log: (line: string) => void,
  ) {}

  async initialCheck(): Promise<void> {
    await this.write();
  }

  async checkpointSaved(): Promise<void> {
    await this.write();
  }

  async finished(): Promise<void> {
    const path = await this.write();
    if (path) this.log(`report: ${path}`);
  }

  private async write(): Promise<string | null> {
    try {
      return await writeReport(this.runDir);
    } catch (err) {
      this.log(`report.html could not be written: ${(err as Error).message}`);
      return null;
    }
  }
}
