// Reads an NDJSON request body a line at a time, without ever holding more than one line.
import { createInterface } from 'node:readline';
import { Transform, type Readable } from 'node:stream';

export class LineTooLong extends Error {
  constructor(readonly line: number, readonly limit: number) {
    super(`line ${line} is longer than ${limit} bytes`);
  }
}

/** Fails the stream as soon as a line grows past the limit, before readline buffers it whole. */
function lineLengthGuard(limit: number): Transform {
  let current = 0;
  let line = 1;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let start = 0;
      for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, start)) {
        if (current + index - start > limit) return done(new LineTooLong(line, limit));
        current = 0;
        line++;
        start = index + 1;
      }
      current += chunk.length - start;
      if (current > limit) return done(new LineTooLong(line, limit));
      done(null, chunk);
    },
  });
}

export async function* ndjsonLines(body: Readable, maxLineBytes: number): AsyncGenerator<{ number: number; text: string }> {
  const guarded = body.pipe(lineLengthGuard(maxLineBytes));
  body.on('error', (error) => guarded.destroy(error));
  let number = 0;
  for await (const text of createInterface({ input: guarded, crlfDelay: Infinity })) {
    number++;
    yield { number, text };
  }
}
