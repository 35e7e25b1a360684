// The project brings its own Node.js (the `node` dev dependency): tests, apps and tools run on it,
// whatever `node` the machine has, and the files that name the runtime agree with it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

const project = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};
const pinned = project.devDependencies.node;
const major = (version: string) => Number(/(\d+)/.exec(version)?.[1]);

describe('the runtime', () => {
  it('is the Node.js the project pins, on a supported LTS line', () => {
    expect(process.version).toBe(`v${pinned}`);
    expect(major(pinned)).toBe(24);
  });

  it('is named alike by engines, .nvmrc, the Node.js types and the container image', () => {
    expect(major(project.engines.node)).toBe(major(pinned));
    expect(major(readFileSync(new URL('../../.nvmrc', import.meta.url), 'utf8'))).toBe(major(pinned));
    expect(major(project.devDependencies['@types/node'])).toBe(major(pinned));
    const images = [...readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8').matchAll(/^FROM node:(\S+)/gm)];
    expect(images.map(([, tag]) => major(tag))).toEqual([major(pinned), major(pinned)]);
  });
});
