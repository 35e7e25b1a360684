import { describe, expect, it } from '@jest/globals';
import { idSchema } from '../shared/fields.js';
import { boundedId, slug } from './coded-event.js';

describe('party ids from source names', () => {
  it('slug names to lower-case letters, digits and dashes, accents dropped', () => {
    expect(slug('Foreign Affairs (Bangladesh)')).toBe('foreign-affairs-bangladesh');
    expect(slug('Recep Tayyip Erdoğan')).toBe('recep-tayyip-erdogan');
    expect(slug("Côte d'Ivoire")).toBe('cote-d-ivoire');
  });

  it('keep a long id within the id rules and apart from another with the same start', () => {
    const long = `icews.${'ministry-'.repeat(20)}`;
    const [one, other] = [boundedId(`${long}a`), boundedId(`${long}b`)];
    expect(one).toHaveLength(128);
    expect(idSchema.safeParse(one).success).toBe(true);
    expect(one).not.toBe(other);
    expect(boundedId('icews.russia.russian-federation')).toBe('icews.russia.russian-federation');
  });
});
