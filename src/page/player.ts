import type { Clip } from '../shared/landmarks/clip.ts';
import { drawFrame, fitView, partsPresent, STAGE_BACKGROUND, unitView, type View } from './skeleton.ts';

const PART_NAMES = { face: 'face', left_hand: 'left hand', right_hand: 'right hand', pose: 'pose' } as const;

export interface PlayerElements {
  readonly canvas: HTMLCanvasElement;
  readonly play: HTMLButtonElement;
  readonly timeline: HTMLInputElement;
  readonly frameLabel: HTMLOutputElement;
}

/**
 * Plays a clip's landmarks on the canvas at its frame rate, with a play/pause button and a timeline
 * to scrub (the range input's own keys step frame by frame). The canvas's label says what the current
 * frame shows, for people who cannot see it.
 */
export class ClipPlayer {
  private readonly ctx: CanvasRenderingContext2D;
  private clip: Clip | null = null;
  private view: View | null = null;
  private fps = 30;
  private frame = 0;
  private playing = false;
  private startedAt = 0;
  private startFrame = 0;
  private raf = 0;

  constructor(private readonly el: PlayerElements) {
    this.ctx = el.canvas.getContext('2d')!;
    el.play.addEventListener('click', () => (this.playing ? this.pause() : this.play()));
    el.timeline.addEventListener('input', () => {
      this.pause();
      this.show(Number(el.timeline.value));
    });
    this.clear('No clip loaded');
  }

  load(clip: Clip, fps: number, autoplay: boolean): void {
    this.pause();
    this.clip = clip;
    this.fps = fps;
    this.view = fitView(clip, this.el.canvas.width, this.el.canvas.height);
    this.el.timeline.max = String(clip.frameCount - 1);
    this.el.timeline.disabled = false;
    this.el.play.disabled = false;
    this.show(0);
    if (autoplay) this.play();
  }

  /** Draws a clip that is not played from here (the webcam's window): its last frame, mirrored. */
  drawLive(clip: Clip, videoAspect: number): void {
    this.pause();
    this.clip = null;
    if (clip.frameCount === 0) return this.clear('Waiting for the camera');
    drawFrame(
      this.ctx,
      clip,
      clip.frameCount - 1,
      unitView(this.el.canvas.width, this.el.canvas.height, videoAspect, true),
    );
    this.describe(clip, clip.frameCount - 1, 'Live');
  }

  clear(label: string): void {
    this.pause();
    this.clip = null;
    this.ctx.fillStyle = STAGE_BACKGROUND;
    this.ctx.fillRect(0, 0, this.el.canvas.width, this.el.canvas.height);
    this.ctx.fillStyle = '#a3adb8';
    this.ctx.font = '16px system-ui, sans-serif';
    this.ctx.textAlign = 'center';
    this.ctx.fillText(label, this.el.canvas.width / 2, this.el.canvas.height / 2, this.el.canvas.width - 32);
    this.el.canvas.setAttribute('aria-label', label);
    this.el.timeline.disabled = true;
    this.el.play.disabled = true;
    this.el.frameLabel.value = '–';
  }

  play(): void {
    if (!this.clip) return;
    this.playing = true;
    this.startedAt = performance.now();
    this.startFrame = this.frame;
    this.el.play.textContent = 'Pause';
    this.el.play.setAttribute('aria-pressed', 'true');
    const tick = (now: number): void => {
      if (!this.playing || !this.clip) return;
      const elapsed = Math.floor(((now - this.startedAt) * this.fps) / 1000);
      const frame = (this.startFrame + elapsed) % this.clip.frameCount;
      if (frame !== this.frame) this.show(frame);
      this.raf = requestAnimationFrame(tick);
    };
    this.raf = requestAnimationFrame(tick);
  }

  pause(): void {
    this.playing = false;
    cancelAnimationFrame(this.raf);
    this.el.play.textContent = 'Play';
    this.el.play.setAttribute('aria-pressed', 'false');
  }

  private show(frame: number): void {
    if (!this.clip || !this.view) return;
    this.frame = frame;
    drawFrame(this.ctx, this.clip, frame, this.view);
    this.el.timeline.value = String(frame);
    this.el.frameLabel.value = `${frame + 1} / ${this.clip.frameCount}`;
    this.describe(this.clip, frame, 'Frame');
  }

  private describe(clip: Clip, frame: number, what: string): void {
    const parts = partsPresent(clip, frame).map((p) => PART_NAMES[p]);
    const shown = parts.length > 0 ? parts.join(', ') : 'no landmarks';
    this.el.canvas.setAttribute('aria-label', `${what} ${frame + 1} of ${clip.frameCount}: ${shown}`);
  }
}
