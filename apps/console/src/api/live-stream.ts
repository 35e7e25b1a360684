// The live stream (/v1/stream), read with fetch and a streaming body: a browser's EventSource
// cannot send the Authorization header the stream needs (ADR 0020). The stream does not resume
// yet, so a page that needs every development re-reads its list on each (re)connection.
import { EventSourceParserStream } from 'eventsource-parser/stream';

export type LiveMessage =
  | { event: 'development'; data: LiveDevelopment }
  | { event: 'projection'; data: ProjectionNotice }
  | { event: 'alert'; data: Record<string, unknown> };

export type LiveDevelopment = {
  eventId: string; type: string; streamId: string; version: number; occurredAt: string; recordedAt: string;
  parties: string[]; issue: string | null; summary: string;
};

export type ProjectionNotice = { projection: string; version: number; live: boolean; partition: number; applied: number };

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'refused';

const events = new Set(['development', 'projection', 'alert']);

/** Subscribes until the returned function is called; `onState('live')` means the next development will arrive. */
export function subscribe(
  authorization: string,
  query: string,
  onMessage: (message: LiveMessage) => void,
  onState: (state: LiveState) => void,
): () => void {
  const controller = new AbortController();
  const { signal } = controller;
  const pause = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

  void (async () => {
    let backoff = 500;
    let first = true;
    while (!signal.aborted) {
      onState(first ? 'connecting' : 'reconnecting');
      first = false;
      try {
        const response = await fetch(`/v1/stream${query}`, { headers: { authorization, accept: 'text/event-stream' }, cache: 'no-store', signal });
        if (response.status === 401 || response.status === 403) {
          onState('refused');
          return;
        }
        if (!response.ok || !response.body) throw new Error(`the stream answered ${response.status}`);
        onState('live');
        backoff = 500;
        const reader = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (!value.event || !events.has(value.event)) continue; // heartbeats keep the connection open; nothing to show
          try {
            onMessage({ event: value.event, data: JSON.parse(value.data) } as LiveMessage);
          } catch {
            // a message that is not JSON is skipped; the next one may be fine
          }
        }
      } catch {
        if (signal.aborted) return;
      }
      await pause(backoff);
      backoff = Math.min(backoff * 2, 10_000);
    }
  })();

  return () => controller.abort();
}
