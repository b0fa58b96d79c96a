/** A one-line progress bar on stderr (a plain line per step when stderr is not a terminal). */
export class ProgressBar {
  private lastPrinted = -1;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number): void {
    const percent = this.total === 0 ? 100 : Math.floor((done / this.total) * 100);
    if (percent === this.lastPrinted) return;
    this.lastPrinted = percent;
    const width = 30;
    const filled = Math.round((percent / 100) * width);
    const line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}% (${done}/${this.total})`;
    if (this.stream.isTTY) this.stream.write(`\r${line}${done >= this.total ? '\n' : ''}`);
    else if (percent % 25 === 0) this.stream.write(`${line}\n`);
  }
}
