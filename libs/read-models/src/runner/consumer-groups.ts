// The Kafka consumer groups that read the events topic, named in one place: the runners join them,
// GET /v1/projections and /metrics name them.

/** The live projections read the topic together, in one group (ADR 0008). */
export const liveProjectionsGroup = (groupPrefix: string) => `${groupPrefix}.projections.live`;

/** A generation read on its own: a rebuild beside the live one, or the alerter. */
export const generationGroup = (groupPrefix: string, name: string, generation: number) => `${groupPrefix}.projection.${name}.v${generation}`;
