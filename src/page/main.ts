import {
  ApiFailure,
  getModel,
  getSampleBytes,
  getSamples,
  predict,
  setApiToken,
  type ModelInfo,
  type SampleList,
} from './api.ts';
import { clipMediaType, decodeClip } from './clip-file.ts';
import { readPageConfig } from './page-config.ts';
import { ClipPlayer } from './player.ts';
import { PredictionsView } from './predictions-view.ts';
import type { SignSession } from './sign/camera.ts';

/** Set when the first prediction is on screen: the browser tests read it as load-to-prediction time. */
const FIRST_PREDICTION_MARK = 'signcast:first-prediction';

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

const config = readPageConfig(document);
const player = new ClipPlayer({
  canvas: byId('skeleton'),
  play: byId('play'),
  timeline: byId('timeline'),
  frameLabel: byId('frame-label'),
});
const predictions = new PredictionsView({
  status: byId('status'),
  error: byId('error'),
  list: byId('predictions'),
  verdict: byId('verdict'),
  timings: byId('timings'),
});
const sampleSelect = byId<HTMLSelectElement>('sample');
const clipInfo = byId('clip-info');
const tokenForm = byId<HTMLFormElement>('token-form');
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;
let samples: SampleList['samples'] = [];
let firstPredictionShown = false;
// Answers to earlier clips that arrive after a newer one was opened are dropped.
let latestRequest = 0;

function failed(error: unknown, what: string): void {
  const failure = error instanceof Error ? error : new Error(String(error));
  if (failure instanceof ApiFailure && failure.code === 'unauthorized') tokenForm.hidden = false;
  predictions.showError(failure, what);
}

interface ClipToOpen {
  readonly name: string;
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly mediaType: string;
  readonly fps: number;
  readonly truth?: string;
}

/** Draws the clip (decoded here) and asks the Worker about the same bytes, side by side. */
async function openClip(clip: ClipToOpen): Promise<void> {
  const request = ++latestRequest;
  predictions.pending(clip.name);
  const drawn = decodeClip(clip.bytes, clip.mediaType, clip.name).then(
    (decoded) => {
      if (request !== latestRequest) return;
      player.load(decoded, clip.fps, !reducedMotion);
      clipInfo.textContent = `${clip.name}: ${decoded.frameCount} frames at ${clip.fps} fps.`;
    },
    (error: unknown) => {
      if (request !== latestRequest) return;
      player.clear(`${clip.name} cannot be drawn`);
      clipInfo.textContent = `${clip.name} cannot be drawn: ${(error as Error).message}`;
    },
  );
  try {
    const { answer, roundTripMs } = await predict(clip.bytes, clip.mediaType);
    if (request !== latestRequest) return;
    predictions.show(answer, roundTripMs, clip.name, clip.truth);
    if (!firstPredictionShown) {
      firstPredictionShown = true;
      performance.mark(FIRST_PREDICTION_MARK);
    }
  } catch (error) {
    if (request === latestRequest) failed(error, `The Worker could not use ${clip.name}`);
  }
  await drawn;
}

async function openSample(index: number): Promise<void> {
  const sample = samples[index];
  if (!sample) return;
  try {
    const bytes = await getSampleBytes(sample.url);
    await openClip({
      name: sample.title,
      bytes,
      mediaType: sample.mediaType,
      fps: sample.fps,
      ...(sample.sign === undefined ? {} : { truth: sample.sign }),
    });
  } catch (error) {
    failed(error, `Could not fetch the sample ${sample.title}`);
  }
}

async function openFile(file: File): Promise<void> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const mediaType = clipMediaType(bytes, file.name);
  if (mediaType === null) {
    latestRequest++; // an answer still on its way for the previous clip must not replace this message
    player.clear(`${file.name} is not a clip file`);
    predictions.showError(
      new Error('not a parquet, Arrow IPC or JSON clip (by its first bytes or its name)'),
      `Cannot open ${file.name}`,
    );
    return;
  }
  // Files carry frame numbers, not times: play them at 30 fps, a common camera rate.
  await openClip({ name: file.name, bytes, mediaType, fps: 30 });
}

function describeModel(model: ModelInfo): void {
  const accuracy = model.metrics[model.variant as 'int8' | 'float32']?.accuracy;
  byId('model-info').textContent =
    `Model “${model.modelId}” (${model.variant}, ${model.signCount} signs) on ${model.runtime.engine} ` +
    `${model.runtime.version} in the Worker` +
    (accuracy === undefined ? '.' : `; ${(accuracy * 100).toFixed(1)} % top-1 on its held-out clips.`);
  const warning = byId('model-warning');
  warning.hidden = model.trainingData === 'real';
  warning.textContent =
    model.trainingData === 'synthetic'
      ? 'This model was trained on synthetic signs (npm run synth): its sign names are invented and it does not know real ASL. Real clips get an answer, not a meaningful one.'
      : 'The bundle does not say what it was trained on.';
}

async function boot(): Promise<void> {
  tokenForm.hidden = true;
  const model = getModel().then(describeModel, (error: unknown) => {
    byId('model-info').textContent = 'The Worker could not load its model.';
    failed(error, 'The model is not available');
  });
  let list: SampleList;
  try {
    list = await getSamples();
  } catch (error) {
    sampleSelect.replaceChildren(new Option('No samples'));
    failed(error, 'Could not list the samples');
    return;
  }
  samples = list.samples;
  sampleSelect.replaceChildren(...samples.map((s, i) => new Option(s.title, String(i))));
  sampleSelect.disabled = samples.length === 0;
  if (samples.length === 0) sampleSelect.replaceChildren(new Option('This bundle has no samples'));
  sampleSelect.title = list.note;
  await Promise.all([model, openSample(0)]);
}

sampleSelect.addEventListener('change', () => void openSample(Number(sampleSelect.value)));
byId<HTMLInputElement>('file').addEventListener('change', (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (file) void openFile(file);
});

const stage = byId('drop-zone');
// A file dropped anywhere else must not navigate away from the page.
for (const type of ['dragover', 'drop'] as const) document.addEventListener(type, (e) => e.preventDefault());
stage.addEventListener('dragover', (event) => {
  event.preventDefault();
  stage.classList.add('dragging');
});
stage.addEventListener('dragleave', () => stage.classList.remove('dragging'));
stage.addEventListener('drop', (event) => {
  event.preventDefault();
  stage.classList.remove('dragging');
  const file = event.dataTransfer?.files[0];
  if (file) void openFile(file);
});

tokenForm.addEventListener('submit', (event) => {
  event.preventDefault();
  setApiToken(byId<HTMLInputElement>('token').value);
  void boot();
});

// Tabs: arrow keys move between them (the WAI-ARIA tabs pattern); only the selected one is tabbable.
const tabs = [byId<HTMLButtonElement>('tab-watch'), byId<HTMLButtonElement>('tab-sign')];
let signSession: SignSession | null = null;
function selectTab(selected: HTMLButtonElement): void {
  for (const tab of tabs) {
    const on = tab === selected;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    byId(tab.getAttribute('aria-controls')!).hidden = !on;
  }
  if (selected.id === 'tab-sign') player.pause();
  else stopSigning();
}
for (const [i, tab] of tabs.entries()) {
  tab.addEventListener('click', () => selectTab(tab));
  tab.addEventListener('keydown', (event) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    const next = tabs[(i + step + tabs.length) % tabs.length]!;
    next.focus();
    selectTab(next);
  });
}

const { landmarker } = config;
byId('landmarker-source').textContent =
  `It loads MediaPipe's WASM from ${landmarker.wasmBase} and the holistic landmarker model from ` +
  `${landmarker.modelUrl} (${landmarker.configured ? "set by this Worker's deployer" : "MediaPipe's published locations"}).`;
const startButton = byId<HTMLButtonElement>('camera-start');
const stopButton = byId<HTMLButtonElement>('camera-stop');
function stopSigning(): void {
  signSession?.stop();
  signSession = null;
  startButton.hidden = false;
  stopButton.hidden = true;
}
startButton.addEventListener('click', async () => {
  startButton.disabled = true;
  try {
    const { startSigning } = await import('./sign/camera.ts');
    signSession = await startSigning(landmarker, byId('camera'), {
      status: (text) => (byId('status').textContent = text),
      frame: (frame, videoAspect) => player.drawLive(frame, videoAspect),
      ask: async (ask, body) => {
        try {
          const { answer, roundTripMs } = await predict(body, 'application/json');
          predictions.show(answer, roundTripMs, ask.reason === 'hands-dropped' ? 'Your sign' : 'Signing');
        } catch (error) {
          failed(error, 'The Worker could not use the camera window');
        }
      },
    });
    startButton.hidden = true;
    stopButton.hidden = false;
  } catch (error) {
    failed(error, 'The camera could not start');
  } finally {
    startButton.disabled = false;
  }
});
stopButton.addEventListener('click', stopSigning);

void boot();
