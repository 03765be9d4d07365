// Renders the architecture diagram as the standalone SVG document committed at
// docs/architecture.svg (used by scripts/export-architecture.tsx and its freshness test).
import { fileURLToPath } from 'node:url';
import { renderToStaticMarkup } from 'react-dom/server';
import { ArchitectureDiagram } from '../components/architecture-diagram';

/** Absolute path of the committed SVG. */
export const architectureSvgPath = fileURLToPath(new URL('../../../docs/architecture.svg', import.meta.url));

/** The standalone SVG document, byte for byte as committed. */
export function renderArchitectureSvg(): string {
  return `${renderToStaticMarkup(<ArchitectureDiagram standalone />)}\n`;
}
