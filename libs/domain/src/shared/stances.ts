export const stances = [
  'demands',
  'proposes',
  'supports',
  'accepts',
  'open-to-discuss',
  'conditional',
  'neutral',
  'opposes',
  'rejects',
] as const;
export type Stance = (typeof stances)[number];
