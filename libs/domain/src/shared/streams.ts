// One stream per aggregate instance; the prefix names the aggregate, so ids of different kinds never collide.
export const partyStream = (id: string) => `party-${id}`;
export const issueStream = (id: string) => `issue-${id}`;
export const demandStream = (id: string) => `demand-${id}`;
export const meetingStream = (id: string) => `meeting-${id}`;
export const warningStream = (id: string) => `warning-${id}`;
export const proposalStream = (id: string) => `proposal-${id}`;
export const codedDevelopmentStream = (id: string) => `development-${id}`;
