// Writes docs/architecture.svg from components/architecture-diagram.tsx, so the README shows the
// same diagram as the dashboard. The web package's tests fail while the file is out of date.
//
//   npm run diagram --workspace @hydra/web
import { writeFileSync } from 'node:fs';
import { architectureSvgPath, renderArchitectureSvg } from './architecture-svg';

const svg = renderArchitectureSvg();
writeFileSync(architectureSvgPath, svg);
console.log(`wrote ${architectureSvgPath} (${svg.length} bytes)`);
