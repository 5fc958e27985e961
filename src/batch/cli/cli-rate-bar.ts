import cliProgress from 'cli-progress';

type Payload = Record<string, unknown>;

/** A terminal progress bar whose `{rate}` token is items per second since start(), to `rateDigits` decimals. */
export class RateBar {
  private readonly bar: cliProgress.SingleBar;
  private readonly rateDigits: number;
  private started = 0;

  constructor(options: cliProgress.Options, rateDigits: number) {
    this.bar = new cliProgress.SingleBar(options, cliProgress.Presets.shades_classic);
    this.rateDigits = rateDigits;
  }

  start(total: number, payload: Payload = {}): void {
    this.started = performance.now();
    this.bar.start(total, 0, { rate: (0).toFixed(this.rateDigits), ...payload });
  }

  update(value: number, payload: Payload = {}): void {
    const seconds = (performance.now() - this.started) / 1000;
    const rate = (seconds > 0 ? value / seconds : 0).toFixed(this.rateDigits);
    this.bar.update(value, { rate, ...payload });
  }

  stop(): void {
    this.bar.stop();
  }
}
