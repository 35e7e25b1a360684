// What a write hands back so a later read can wait until the read models include it.
export type ConsistencyPoint = { streamId: string; version: number };

export function consistencyToken(point: ConsistencyPoint): string {
  return Buffer.from(JSON.stringify([point.streamId, point.version])).toString('base64url');
}
