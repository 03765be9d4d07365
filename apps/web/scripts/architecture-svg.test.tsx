// docs/architecture.svg must be the current standalone render of the dashboard's diagram.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { architectureSvgPath, renderArchitectureSvg } from './architecture-svg';

describe('docs/architecture.svg', () => {
  const svg = renderArchitectureSvg();

  test('is up to date with components/architecture-diagram.tsx (run `npm run diagram --workspace @hydra/web`)', () => {
    expect(readFileSync(architectureSvgPath, 'utf8')).toBe(svg);
  });

  test('is a self-contained SVG document with both palettes', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<style>');
    expect(svg).toContain('prefers-color-scheme: dark');
    // Every colour the drawing uses is defined by the embedded palette.
    const used = new Set([...svg.matchAll(/var\((--[a-z0-9-]+)\)/g)].map((match) => match[1]));
    for (const name of used) expect(svg, `palette defines ${name}`).toMatch(new RegExp(`${name}:#`));
  });

  test('names every party backend and the relay', () => {
    for (const text of ['Energy supplier', 'DNO', 'Telecare provider', 'DCC relay', 'In-home display']) {
      expect(svg).toContain(text);
    }
  });
});
