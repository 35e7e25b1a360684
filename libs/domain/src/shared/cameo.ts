// CAMEO event codes (Schrodt 2012) and their Goldstein scores, for the codes Chancery's developments map to.

export type Cameo = { code: string; root: string; quadClass: 1 | 2 | 3 | 4; goldstein: number };

/**
 * Quad classes: 1 verbal cooperation (roots 01–05), 2 material cooperation (06–09),
 * 3 verbal conflict (10–14), 4 material conflict (15–20).
 */
export const cameoCodes = {
  '010': { code: '010', root: '01', quadClass: 1, goldstein: 0.0 }, // make statement
  '030': { code: '030', root: '03', quadClass: 1, goldstein: 4.0 }, // express intent to cooperate
  '036': { code: '036', root: '03', quadClass: 1, goldstein: 4.0 }, // express intent to meet or negotiate
  '040': { code: '040', root: '04', quadClass: 1, goldstein: 1.0 }, // consult
  '046': { code: '046', root: '04', quadClass: 1, goldstein: 7.0 }, // engage in negotiation
  '080': { code: '080', root: '08', quadClass: 2, goldstein: 5.0 }, // yield
  '100': { code: '100', root: '10', quadClass: 3, goldstein: -5.0 }, // demand
  '120': { code: '120', root: '12', quadClass: 3, goldstein: -4.0 }, // reject
  '125': { code: '125', root: '12', quadClass: 3, goldstein: -5.0 }, // reject proposal to meet, discuss, or negotiate
  '130': { code: '130', root: '13', quadClass: 3, goldstein: -4.4 }, // threaten
  '138': { code: '138', root: '13', quadClass: 3, goldstein: -7.0 }, // threaten with military force
  '164': { code: '164', root: '16', quadClass: 4, goldstein: -7.0 }, // halt negotiations
} as const satisfies Record<string, Cameo>;

export type CameoCode = keyof typeof cameoCodes;
