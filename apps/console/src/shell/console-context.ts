// What every page shares: the API with the pasted key, and the parties and issues by id (names
// for labels, the lists for pickers).
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from '../api/client.js';

export type Party = { id: string; name: string; kind: string; memberOf: string[]; represents: string | null; role: string | null };
export type Issue = { id: string; title: string; description?: string | null };

export type ConsoleContext = {
  api: Api;
  parties: Party[];
  issues: Issue[];
  partyName: (id: string) => string;
  issueTitle: (id: string | null) => string;
};

export const ConsoleContext = createContext<ConsoleContext | null>(null);

export function useConsole(): ConsoleContext {
  const context = useContext(ConsoleContext);
  if (!context) throw new Error('useConsole outside the console');
  return context;
}
