// What a write hands back so a later read can wait until the read models include it.
export type ConsistencyPoint = { streamId: string; version: number };

export function consistencyToken(point: ConsistencyPoint): string {
  return Buffer.from(JSON.stringify([point.streamId, point.version])).toString('base64url');
}

/** An import's token: every journal position in (after, upTo]. */
export function rangeConsistencyToken(after: string, upTo: string): string {
  return Buffer.from(JSON.stringify(['positions', after, upTo])).toString('base64url');
}
