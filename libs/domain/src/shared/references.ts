// A command's references to parties and issues, each with the path of the field that names it.

export type Reference = { kind: 'party' | 'issue'; id: string; path: string };

export const partyAt = (path: string, id: string): Reference => ({ kind: 'party', id, path });
export const issueAt = (path: string, id: string): Reference => ({ kind: 'issue', id, path });

export const partiesAt = (field: string, ids: readonly string[]): Reference[] =>
  ids.map((id, index) => partyAt(`${field}[${index}]`, id));
export const issuesAt = (field: string, ids: readonly string[]): Reference[] =>
  ids.map((id, index) => issueAt(`${field}[${index}]`, id));
