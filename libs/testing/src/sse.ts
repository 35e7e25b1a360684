// Reads the live stream (/v1/stream, server-sent events) the way a dashboard does.
/* eslint-disable @typescript-eslint/no-explicit-any -- SSE data is JSON of any shape; tests say what they expect */

export type StreamMessage = { event: string; id?: string; data: any };

/** Collects SSE messages from /v1/stream until `enough` says stop. */
/** `key` null: the query carries a stream token instead; `headers` adds e.g. Last-Event-ID. */
export async function listenToStream(baseUrl: string, key: string | null, query: string, enough: (events: StreamMessage[]) => boolean,
  headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/v1/stream${query}`, { headers: { ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...headers }, signal: controller.signal });
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
        const id = /^id: (.*)$/m.exec(block)?.[1];
        received.push({ event, id, data: data ? JSON.parse(data) : undefined });
        if (enough(received)) {
          controller.abort();
          return;
        }
      }
    }
  })().catch(() => {});
  return { status: response.status, contentType: response.headers.get('content-type'), done, received };
}
