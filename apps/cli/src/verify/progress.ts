// Progress of a long pass (reading a topic, streaming the journal) on stderr, so stdout stays the
// report or the export. Quiet for passes that finish within a second.
export type Progress = { add: (count: number) => void; done: () => void };

export function progress(label: string, total: number | undefined, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  const everyMs = stream.isTTY ? 250 : 5_000;
  let count = 0;
  let printedAt = started;
  let printed = false;

  function line(): string {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    const rate = Math.round(count / seconds).toLocaleString('en');
    const share = total ? ` / ${total.toLocaleString('en')} (${Math.floor((100 * count) / Math.max(total, 1))} %)` : '';
    return `${label}: ${count.toLocaleString('en')}${share}, ${rate}/s`;
  }

  function print(final: boolean): void {
    if (stream.isTTY) stream.write(`\r\x1b[2K${line()}${final ? '\n' : ''}`);
    else stream.write(`${line()}\n`);
    printed = true;
  }

  return {
    add(more) {
      count += more;
      const now = Date.now();
      if (now - started >= 1_000 && now - printedAt >= everyMs) {
        printedAt = now;
        print(false);
      }
    },
    done() {
      if (printed) print(true);
    },
  };
}
