// A loop's pause that a notification can cut short; a wake-up while the loop is busy is kept for its next pause.
export class Pause {
  private wakeUp?: () => void;
  private woken = false;
  private stopped = false;

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Ends every pause at once, for good. */
  stop(): void {
    this.stopped = true;
    this.wake();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  for(ms: number): Promise<void> {
    if (this.stopped || this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.woken = false;
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
