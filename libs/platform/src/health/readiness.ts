/** A dependency that /health/ready checks; libs that own a connection provide one under READINESS_CHECKS. */
export type ReadinessCheck = {
  name: string;
  check(signal: AbortSignal): Promise<Record<string, unknown> | void>;
};

export const READINESS_CHECKS = Symbol('ReadinessChecks');
