// Reads the live stream (/v1/stream, server-sent events) the way a dashboard does.
/* eslint-disable @typescript-eslint/no-explicit-any -- SSE data is JSON of any shape; tests say what they expect */

export type StreamMessage = { event: string; data: any };

/** Collects SSE messages from /v1/stream until `enough` says stop. */
export async function listenToStream(baseUrl: string, key: string, query: string, enough: (events: StreamMessage[]) => boolean) {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/v1/stream${query}`, { headers: { authorization: `Bearer ${key}` }, signal: controller.signal });
  const received: StreamMessage[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const done = (async () => {
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = /^data: (.*)$/m.exec(block)?.[1];
        received.push({ event, data: data ? JSON.parse(data) : undefined });
        if (enough(received)) {
          controller.abort();
          return;
        }
      }
    }
  })().catch(() => {});
  return { status: response.status, contentType: response.headers.get('content-type'), done, received };
}
