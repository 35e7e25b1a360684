import { ApiError, type ApiClient } from '../api-client.js';

/** Waits until a write's consistency token is readable: a read waits 5 s for it (504 after), so ask again until it is. */
export async function waitUntilReadable(api: ApiClient, token: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await api.get('/v1/parties?limit=1', { 'x-consistency-token': token });
      return;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 504) || Date.now() > deadline) throw error;
    }
  }
}
