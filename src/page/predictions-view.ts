import type { ApiFailure, PredictAnswer } from './api.ts';

export interface PredictionElements {
  readonly status: HTMLElement;
  readonly error: HTMLElement;
  readonly list: HTMLOListElement;
  readonly verdict: HTMLElement;
  readonly timings: HTMLElement;
}

const percent = (p: number): string => `${(p * 100).toFixed(p >= 0.995 || p < 0.0995 ? 1 : 0)} %`;
const ms = (v: number): string => `${Math.round(v * 10) / 10} ms`;

/** The top signs as probability bars, the Worker's timings, and errors as messages. */
export class PredictionsView {
  constructor(private readonly el: PredictionElements) {}

  pending(what: string): void {
    this.el.status.textContent = `Asking the Worker about ${what}…`;
    this.el.error.hidden = true;
  }

  /**
   * `truth`: the sign the clip is known to show (a sample's label), to say whether the model got it.
   */
  show(answer: PredictAnswer, roundTripMs: number, what: string, truth?: string): void {
    this.el.error.hidden = true;
    this.el.status.textContent = `${what}: ${answer.frames} frames`;
    this.el.list.replaceChildren(
      ...answer.predictions.map((p) => {
        const li = document.createElement('li');
        li.dataset['sign'] = p.sign;
        li.dataset['probability'] = String(p.probability);
        const name = document.createElement('span');
        name.className = 'sign';
        name.textContent = p.sign;
        const track = document.createElement('span');
        track.className = 'track';
        track.setAttribute('aria-hidden', 'true');
        const fill = document.createElement('span');
        fill.className = 'fill';
        fill.style.setProperty('--p', String(p.probability));
        track.append(fill);
        const probability = document.createElement('span');
        probability.className = 'probability';
        probability.textContent = percent(p.probability);
        li.append(name, track, probability);
        return li;
      }),
    );
    const top = answer.predictions[0]?.sign;
    this.el.verdict.textContent =
      truth === undefined
        ? ''
        : top === truth
          ? `✓ The clip shows “${truth}”.`
          : `✗ The clip shows “${truth}”.`;
    const t = answer.timings;
    this.el.timings.textContent =
      `Worker: decode ${ms(t.decode)}, preprocess ${ms(t.preprocess)}, model ${ms(t.model)}, ` +
      `inference ${ms(t.inference)}; round trip ${ms(roundTripMs)} (${answer.model.id}, ${answer.model.variant}).`;
  }

  showError(failure: ApiFailure | Error, what: string): void {
    this.el.status.textContent = '';
    this.el.list.replaceChildren();
    this.el.verdict.textContent = '';
    this.el.timings.textContent = '';
    const code = 'code' in failure ? ` (${failure.code})` : '';
    this.el.error.textContent = `${what}: ${failure.message}${code}`;
    this.el.error.hidden = false;
  }
}
