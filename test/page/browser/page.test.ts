import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRealData, readRealFile, realFileFacts } from '../../shared/real-files.ts';
import { browserTestsRequired, findChromium } from './find-chromium.ts';
import { npmStart, type RunningWorker } from './npm-start.ts';

/**
 * The page in a real browser (headless Chromium, driven by playwright-core) against the real Worker
 * under `npm start`. Screenshots land in test-artifacts/ (git-ignored).
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ARTIFACTS = join(ROOT, 'test-artifacts');
const PARQUET = 'application/vnd.apache.parquet';
const chromiumPath = findChromium();

if (chromiumPath === null && !browserTestsRequired()) {
  console.warn(
    'page browser tests skipped: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)',
  );
}

interface PredictBody {
  predictions: { sign: string; probability: number }[];
}
interface ErrorBody {
  error: { code: string; message: string };
}

describe.runIf(chromiumPath !== null || browserTestsRequired())(
  'the page, in Chromium, from npm start',
  () => {
    let worker: RunningWorker;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      if (chromiumPath === null) {
        throw new Error(
          'SIGNCAST_BROWSER_TESTS=required but no Chromium was found (apt-get install chromium)',
        );
      }
      mkdirSync(ARTIFACTS, { recursive: true });
      [worker, browser] = await Promise.all([
        npmStart(ROOT, 110_000),
        // Chromium refuses to run as root inside its sandbox; CI containers run as root.
        chromium.launch({
          executablePath: chromiumPath,
          args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
        }),
      ]);
      page = await browser.newPage({ viewport: { width: 1100, height: 820 } });
      page.setDefaultTimeout(60_000);
      page.on('pageerror', (error) => pageErrors.push(error.message));
    });

    afterAll(async () => {
      await browser?.close();
      await worker?.stop();
    });

    /** What the API answers for these bytes: the page must show the same. */
    async function apiAnswer(
      bytes: Uint8Array<ArrayBuffer>,
      mediaType: string,
    ): Promise<{ status: number; body: unknown }> {
      const res = await fetch(`${worker.url}/v1/predict?top=5`, {
        method: 'POST',
        headers: { 'Content-Type': mediaType },
        body: bytes,
      });
      return { status: res.status, body: await res.json() };
    }

    const barSigns = (): Promise<string[]> =>
      page
        .locator('#predictions li')
        .evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset['sign']!));

    /**
     * Canvas pixels in the skeleton's colours: not the stage background, and not grey like the face
     * outline or a message drawn on the stage (the pose, hands and lips are all strongly coloured).
     */
    const skeletonPixels = (): Promise<number> =>
      page.evaluate(() => {
        const canvas = document.getElementById('skeleton') as HTMLCanvasElement;
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        let n = 0;
        for (let i = 0; i < data.length; i += 4) {
          const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
          if (Math.max(r, g, b) - Math.min(r, g, b) > 60) n++;
        }
        return n;
      });

    /** Moves the timeline as a person dragging it would (an input event). */
    const scrubTo = (frame: number): Promise<void> =>
      page.locator('#timeline').evaluate((el, value) => {
        (el as HTMLInputElement).value = String(value);
        el.dispatchEvent(new Event('input', { bubbles: true }));
      }, frame);

    const frameLabel = (): Promise<string> => page.locator('#frame-label').innerText();

    it('opens with a sample clip playing and the prediction the API gives for it', async () => {
      await page.goto(`${worker.url}/`);
      await page.locator('#predictions li').first().waitFor();
      const firstPredictionMs = await page.evaluate(
        () => performance.getEntriesByName('signcast:first-prediction')[0]!.startTime,
      );

      const samples = (await (await fetch(`${worker.url}/v1/samples`)).json()) as {
        samples: { url: string; mediaType: string; sign?: string }[];
      };
      const first = samples.samples[0]!;
      const bytes = new Uint8Array(await (await fetch(`${worker.url}${first.url}`)).arrayBuffer());
      const api = (await apiAnswer(bytes, first.mediaType)).body as PredictBody;
      expect(await barSigns()).toEqual(api.predictions.map((p) => p.sign));
      expect(await page.locator('#verdict').innerText()).toContain(first.sign!);
      await expect.poll(() => page.locator('#model-warning').innerText()).toContain('synthetic signs');
      await expect.poll(() => page.locator('#model-info').innerText()).toContain('“demo”');

      // Playing: the frame moves on by itself, and the skeleton is on the canvas.
      const before = await frameLabel();
      await page.waitForFunction(
        (label) => document.getElementById('frame-label')!.textContent !== label,
        before,
      );
      expect(await page.locator('#play').getAttribute('aria-pressed')).toBe('true');
      expect(await skeletonPixels()).toBeGreaterThan(500);
      expect(await page.locator('#skeleton').getAttribute('aria-label')).toMatch(/^Frame \d+ of \d+: /);

      // The screenshot (docs/page.png is a copy) shows the frame with the most skeleton on it, paused.
      await page.locator('#play').click();
      expect(await page.locator('#play').getAttribute('aria-pressed')).toBe('false');
      const frames = Number(await page.locator('#timeline').getAttribute('max')) + 1;
      const drawn: number[] = [];
      for (let f = 0; f < frames; f++) {
        await scrubTo(f);
        drawn.push(await skeletonPixels());
      }
      await scrubTo(drawn.indexOf(Math.max(...drawn)));
      await page.screenshot({ path: join(ARTIFACTS, 'page.png') });
      writeFileSync(join(ARTIFACTS, 'first-prediction.json'), JSON.stringify({ firstPredictionMs }, null, 2));
      console.log(
        `page: first prediction ${Math.round(firstPredictionMs)} ms after navigation (sample clip)`,
      );
    });

    it.skipIf(!hasRealData)(
      'draws a dropped real clip and shows the top sign the API gives for it',
      async () => {
        const { path, frames } = realFileFacts()
          .filter((f) => f.frames >= 15 && f.frames <= 40)
          .sort((a, b) => a.path.localeCompare(b.path))[0]!;
        const bytes = readRealFile(path) as Uint8Array<ArrayBuffer>;
        const name = path.split('/').at(-1)!;
        await page.evaluate(
          ({ base64, name }) => {
            const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([data], name));
            const zone = document.getElementById('drop-zone')!;
            for (const type of ['dragover', 'drop'])
              zone.dispatchEvent(
                new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }),
              );
          },
          { base64: Buffer.from(bytes).toString('base64'), name },
        );
        await page.locator('#status', { hasText: name }).waitFor();
        const api = (await apiAnswer(bytes, PARQUET)).body as PredictBody;
        expect((await barSigns())[0]).toBe(api.predictions[0]!.sign);
        expect(await barSigns()).toEqual(api.predictions.map((p) => p.sign));
        await expect.poll(frameLabel).toMatch(new RegExp(` / ${frames}$`));
        expect(await skeletonPixels()).toBeGreaterThan(500);
        expect(await page.locator('#verdict').innerText()).toBe('');
        await page.screenshot({ path: join(ARTIFACTS, 'page-real-clip.png') });
      },
    );

    it('shows the API error for a corrupt file as a message, and keeps working', async () => {
      const sample = readFileSync('models/demo/samples/synthetic-right-hand.parquet');
      const corrupt = new Uint8Array(sample.subarray(0, Math.floor(sample.length / 2)));
      const api = await apiAnswer(corrupt, PARQUET);
      expect(api.status).toBe(400);
      const { code } = (api.body as ErrorBody).error;

      await page.setInputFiles('#file', {
        name: 'corrupt.parquet',
        mimeType: PARQUET,
        buffer: Buffer.from(corrupt),
      });
      const error = page.locator('#error');
      await error.waitFor({ state: 'visible' });
      expect(await error.innerText()).toContain(`(${code})`);
      expect(await error.innerText()).toContain('corrupt.parquet');
      expect(await page.locator('#predictions li').count()).toBe(0);
      // The stage says it cannot draw the file rather than keep the previous clip's skeleton.
      expect(await skeletonPixels()).toBe(0);
      expect(await page.locator('#skeleton').getAttribute('aria-label')).toContain('cannot be drawn');
      await page.screenshot({ path: join(ARTIFACTS, 'page-error.png') });

      // Still usable: another sample brings bars back and clears the message.
      await page.selectOption('#sample', '1');
      await page.locator('#predictions li').first().waitFor();
      expect(await error.isHidden()).toBe(true);
      expect(await skeletonPixels()).toBeGreaterThan(500);
    });

    it('works from the keyboard and fits a phone screen', async () => {
      await page.locator('#play').focus();
      if ((await page.locator('#play').getAttribute('aria-pressed')) === 'true')
        await page.keyboard.press('Space');
      expect(await page.locator('#play').getAttribute('aria-pressed')).toBe('false');
      await page.locator('#timeline').focus();
      await page.keyboard.press('Home');
      expect(await frameLabel()).toMatch(/^1 \/ /);
      await page.keyboard.press('ArrowRight');
      expect(await frameLabel()).toMatch(/^2 \/ /);

      await page.locator('#tab-watch').focus();
      await page.keyboard.press('ArrowRight');
      expect(await page.locator('#panel-sign').isVisible()).toBe(true);
      expect(await page.locator('#landmarker-source').innerText()).toContain('holistic_landmarker.task');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-sign');
      await page.keyboard.press('ArrowLeft');
      expect(await page.locator('#panel-watch').isVisible()).toBe(true);

      await page.setViewportSize({ width: 390, height: 844 });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(ARTIFACTS, 'page-phone.png'), fullPage: true });
      expect(pageErrors).toEqual([]);
    });
  },
);
