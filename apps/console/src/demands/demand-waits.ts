// Which open demands have waited longest, and on whom (pure, unit-tested).
export type Demand = {
  id: string; by: string; addressedTo: string[]; issue: string; summary: string;
  status: 'open' | 'answered' | 'rejected' | 'accepted' | 'withdrawn';
  issuedAt: string;
  responses: Array<{ party: string; response: 'rejected' | 'accepted'; at: string }>;
};

export type Wait = { demand: Demand; waitingOn: string[]; days: number };

const dayMs = 86_400_000;

/** Open demands with an addressee still silent, longest-waiting first (ties: by id, so the order is stable). */
export function unansweredLongest(demands: Demand[], now: Date): Wait[] {
  return demands
    .filter((demand) => demand.status === 'open')
    .map((demand) => {
      const answered = new Set(demand.responses.map((response) => response.party));
      const waitingOn = demand.addressedTo.filter((party) => !answered.has(party));
      return { demand, waitingOn, days: Math.max(0, Math.floor((now.getTime() - Date.parse(demand.issuedAt)) / dayMs)) };
    })
    .filter((wait) => wait.waitingOn.length > 0)
    .sort((a, b) => b.days - a.days || Date.parse(a.demand.issuedAt) - Date.parse(b.demand.issuedAt) || a.demand.id.localeCompare(b.demand.id));
}

export const demandStatuses = ['open', 'answered', 'rejected', 'accepted', 'withdrawn'] as const;
