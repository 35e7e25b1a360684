/** The topic names of one deployment; the prefix lets tests and tenants share a broker. */
export type Topics = { events: string; alerts: string; eventsDlq: string };

export function topicsFor(prefix: string): Topics {
  return { events: `${prefix}.events`, alerts: `${prefix}.alerts`, eventsDlq: `${prefix}.events.dlq` };
}
