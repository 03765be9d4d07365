// The Hydra architecture as one inline SVG: a meter whose applets live in separate security
// domains, a sealed channel per party through the comms hub and the DCC relay (which sees only the
// envelope), and each party's backend. Colours are the party colours from app/globals.css.
// The same component, rendered with `standalone`, is committed as docs/architecture.svg for the
// README (`npm run diagram --workspace @hydra/web`); scripts/architecture-svg.test.tsx fails while the
// committed file is out of date.
import { useId } from 'react';
import { colorOf, parties, type Party } from '@/lib/parties';

/** Props for {@link ArchitectureDiagram}. */
export interface ArchitectureDiagramProps {
  /**
   * Render a self-contained SVG document (xmlns, background, its own light and dark palette via
   * `prefers-color-scheme`) for use outside the app. Default false: inherit the app's theme.
   */
  standalone?: boolean;
  className?: string;
}

const WIDTH = 1000;
const HEIGHT = 470;
const FONT = 'ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** The palette a standalone copy carries (same values as app/globals.css). */
const standaloneStyle = `
.hml-arch{--card:#ffffff;--foreground:#111827;--muted:#eef0f4;--muted-foreground:#4b5563;--border:#e1e4ea;--border-strong:#c9ced8;--background:#f6f7f9;--chart-1:#d97706;--chart-2:#2563eb;--chart-3:#db2777;--chart-4:#64748b;--chart-5:#059669;--chart-6:#7c3aed}
@media (prefers-color-scheme: dark){.hml-arch{--card:#131722;--foreground:#e7e9ee;--muted:#1b2030;--muted-foreground:#a0a8b8;--border:#252b3a;--border-strong:#363e51;--background:#0b0e14;--chart-1:#fbbf24;--chart-2:#60a5fa;--chart-3:#f472b6;--chart-4:#94a3b8;--chart-5:#34d399;--chart-6:#a78bfa}}
`;

interface Domain {
  readonly party: Party;
  readonly title: string;
  readonly applets: readonly string[];
  readonly note?: string;
  /** Optional domain, installed only with the householder's consent: drawn dashed. */
  readonly optional?: boolean;
}

// Meter rows, top to bottom; the first three each open a sealed lane to their party.
const domains: readonly Domain[] = [
  { party: 'supplier', title: 'Supplier security domain', applets: ['billing'] },
  { party: 'dno', title: 'DNO security domain', applets: ['power-quality', 'load-control', 'aggregation'] },
  { party: 'telecare', title: 'Telecare security domain', applets: ['telecare'], note: 'with consent', optional: true },
  { party: 'householder', title: 'Householder', applets: ['insights'], note: 'stays in the home' },
];

interface Backend {
  readonly party: Party;
  readonly title: string;
  readonly lines: readonly [string, string];
}

const backends: readonly Backend[] = [
  { party: 'supplier', title: 'Energy supplier', lines: ['monthly bill statement', 'own keys, own tables'] },
  { party: 'dno', title: 'DNO', lines: ['power-quality events', 'feeder aggregates'] },
  { party: 'telecare', title: 'Telecare provider', lines: ['wellbeing alerts', 'consenting homes only'] },
];

// Geometry (viewBox units).
const home = { x: 12, y: 12, width: 372, height: 446 };
const meter = { x: 28, y: 48, width: 340, height: 328 };
const rowX = 44;
const rowWidth = 308;
const rowHeight = 52;
const firstRowY = 132;
const rowGap = 8;
const rowY = (index: number) => firstRowY + index * (rowHeight + rowGap);
const laneY = (index: number) => rowY(index) + rowHeight / 2;
const ihd = { x: 28, y: 392, width: 340, height: 52 };
const hub = { x: 416, y: 84, width: 84, height: 252 };
const dcc = { x: 540, y: 76, width: 220, height: 300 };
const backendX = 806;
const backendWidth = 182;
const backendHeight = 56;
const lockX = 606;
const metadataX = 702;
const log = { x: 556, y: 306, width: 188, height: 56 };
const legendX = hub.x;

/** Width of an applet chip for its label at 10.5 px (sized for wide fonts such as DejaVu Sans). */
const chipWidth = (label: string) => Math.round(label.length * 6.5 + 12);

function Lock({ x, y, color }: { x: number; y: number; color: string }) {
  // A 22×18 pill with a padlock: "sealed here, unreadable to this hop".
  return (
    <g transform={`translate(${x - 11} ${y - 9})`}>
      <rect width={22} height={18} rx={9} fill="var(--card)" stroke={color} strokeWidth={1.5} />
      <rect x={7.5} y={8} width={7} height={5.5} rx={1} fill={color} />
      <path d="M9 8V6.5a2 2 0 0 1 4 0V8" fill="none" stroke={color} strokeWidth={1.4} />
    </g>
  );
}

/**
 * The architecture diagram. Inline SVG with `role="img"`, a `<title>` and a `<desc>` that says in
 * words what the picture shows.
 */
export function ArchitectureDiagram({ standalone = false, className }: ArchitectureDiagramProps) {
  const id = useId();
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const muted = 'var(--muted-foreground)';
  const fg = 'var(--foreground)';

  return (
    <svg
      xmlns={standalone ? 'http://www.w3.org/2000/svg' : undefined}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width={standalone ? WIDTH : undefined}
      height={standalone ? HEIGHT : undefined}
      role="img"
      aria-labelledby={`${titleId} ${descId}`}
      className={standalone ? 'hml-arch' : className}
      fontFamily={FONT}
      style={standalone ? undefined : { width: '100%', height: 'auto' }}
    >
      <title id={titleId}>Hydra architecture: one sealed channel per party, through a relay that sees only metadata</title>
      <desc id={descId}>
        A home&apos;s meter runs a secure element. Its issuer security domain keeps the registry and the firewall. The
        supplier&apos;s billing applet, the DNO&apos;s power-quality, load-control and aggregation applets and the
        telecare applet (installed only with consent) each sit in their own party&apos;s security domain; the
        householder&apos;s insights applet feeds the in-home display and nothing leaves the home. Each security domain
        has its own sealed channel through the comms hub and the DCC relay to its own party&apos;s backend: energy
        supplier, DNO and telecare provider. The DCC routes and logs only envelope metadata: meter, party, applet,
        message class, size and time.
      </desc>
      {standalone && <style>{standaloneStyle}</style>}
      {standalone && <rect width={WIDTH} height={HEIGHT} rx={16} fill="var(--background)" />}

      {/* Home */}
      <rect
        {...home}
        rx={16}
        fill="var(--muted)"
        fillOpacity={0.55}
        stroke="var(--border-strong)"
        strokeDasharray="5 4"
      />
      <text x={home.x + 16} y={home.y + 22} fontSize={11} fontWeight={600} letterSpacing={1.2} fill={muted}>
        HOME
      </text>

      {/* Meter: secure element */}
      <rect {...meter} rx={12} fill="var(--card)" stroke={colorOf(parties.meter.colorVar)} strokeWidth={1.5} />
      <text x={meter.x + 16} y={meter.y + 23} fontSize={14} fontWeight={650} fill={fg}>
        Meter · secure element
      </text>
      <text x={meter.x + meter.width - 16} y={meter.y + 23} fontSize={11} textAnchor="end" fill={muted}>
        GlobalPlatform
      </text>
      <rect
        x={rowX}
        y={84}
        width={rowWidth}
        height={40}
        rx={8}
        fill={colorOf(parties.meter.colorVar)}
        fillOpacity={0.08}
        stroke={colorOf(parties.meter.colorVar)}
        strokeOpacity={0.45}
      />
      <text x={rowX + 12} y={101} fontSize={12} fontWeight={600} fill={fg}>
        Issuer security domain
      </text>
      <text x={rowX + 12} y={116} fontSize={11} fill={muted}>
        card manager · registry · lifecycle · firewall
      </text>

      {domains.map((domain, index) => {
        const color = colorOf(parties[domain.party].colorVar);
        const y = rowY(index);
        let chipX = rowX + 12;
        return (
          <g key={domain.party}>
            <rect
              x={rowX}
              y={y}
              width={rowWidth}
              height={rowHeight}
              rx={8}
              fill={color}
              fillOpacity={0.07}
              stroke={color}
              strokeOpacity={0.6}
              strokeDasharray={domain.optional === true ? '5 3' : undefined}
            />
            <text x={rowX + 12} y={y + 19} fontSize={12} fontWeight={600} fill={fg}>
              {domain.title}
            </text>
            {domain.note !== undefined && (
              <text x={rowX + rowWidth - 12} y={y + 19} fontSize={10.5} textAnchor="end" fill={muted}>
                {domain.note}
              </text>
            )}
            {domain.applets.map((applet) => {
              const width = chipWidth(applet);
              const x = chipX;
              chipX += width + 5;
              return (
                <g key={applet}>
                  <rect x={x} y={y + 27} width={width} height={18} rx={9} fill="var(--card)" stroke={color} />
                  <text x={x + width / 2} y={y + 40} fontSize={10.5} textAnchor="middle" fill={fg}>
                    {applet}
                  </text>
                </g>
              );
            })}
          </g>
        );
      })}

      {/* In-home display, fed locally by the insights applet */}
      <rect {...ihd} rx={10} fill="var(--card)" stroke={colorOf(parties.householder.colorVar)} strokeWidth={1.5} />
      <text x={ihd.x + 16} y={ihd.y + 21} fontSize={12.5} fontWeight={600} fill={fg}>
        In-home display
      </text>
      <text x={ihd.x + 16} y={ihd.y + 38} fontSize={11} fill={muted}>
        reads its own meter locally · nothing leaves the home
      </text>
      <line
        x1={rowX + rowWidth - 40}
        y1={rowY(3) + rowHeight}
        x2={rowX + rowWidth - 40}
        y2={ihd.y}
        stroke={colorOf(parties.householder.colorVar)}
        strokeWidth={3}
        strokeLinecap="round"
      />

      {/* Comms hub */}
      <rect {...hub} rx={10} fill="var(--card)" stroke="var(--border-strong)" strokeWidth={1.5} />
      <text x={hub.x + hub.width / 2} y={hub.y + 22} fontSize={12.5} fontWeight={600} textAnchor="middle" fill={fg}>
        Comms
      </text>
      <text x={hub.x + hub.width / 2} y={hub.y + 38} fontSize={12.5} fontWeight={600} textAnchor="middle" fill={fg}>
        hub
      </text>
      <text x={hub.x + hub.width / 2} y={hub.y + hub.height - 22} fontSize={10.5} textAnchor="middle" fill={muted}>
        wakes on
      </text>
      <text x={hub.x + hub.width / 2} y={hub.y + hub.height - 9} fontSize={10.5} textAnchor="middle" fill={muted}>
        schedule
      </text>

      {/* DCC relay */}
      <rect {...dcc} rx={12} fill="var(--card)" stroke={colorOf(parties.dcc.colorVar)} strokeWidth={1.5} />
      <text x={dcc.x + 16} y={dcc.y + 24} fontSize={14} fontWeight={650} fill={fg}>
        DCC relay
      </text>
      <text x={dcc.x + 16} y={dcc.y + 41} fontSize={11} fill={muted}>
        routes and queues by envelope only
      </text>
      <rect
        {...log}
        rx={8}
        fill={colorOf(parties.dcc.colorVar)}
        fillOpacity={0.1}
        stroke={colorOf(parties.dcc.colorVar)}
        strokeOpacity={0.6}
        strokeDasharray="4 3"
      />
      <text x={log.x + 12} y={log.y + 19} fontSize={12} fontWeight={600} fill={fg}>
        Metadata log
      </text>
      <text x={log.x + 12} y={log.y + 35} fontSize={10.5} fill={muted}>
        meter · party · applet · class
      </text>
      <text x={log.x + 12} y={log.y + 49} fontSize={10.5} fill={muted}>
        size · time · message id
      </text>
      <line
        x1={metadataX}
        y1={laneY(0)}
        x2={metadataX}
        y2={log.y}
        stroke={colorOf(parties.dcc.colorVar)}
        strokeWidth={1.5}
        strokeDasharray="3 3"
      />

      {/* Backends */}
      <text x={backendX} y={116} fontSize={11} fontWeight={600} letterSpacing={1.2} fill={muted}>
        BACKENDS
      </text>
      {backends.map((backend, index) => {
        const color = colorOf(parties[backend.party].colorVar);
        const y = laneY(index) - backendHeight / 2;
        return (
          <g key={backend.party}>
            <rect x={backendX} y={y} width={backendWidth} height={backendHeight} rx={10} fill="var(--card)" stroke={color} strokeWidth={1.5} />
            <rect x={backendX} y={y + 10} width={4} height={backendHeight - 20} rx={2} fill={color} />
            <text x={backendX + 16} y={y + 19} fontSize={12.5} fontWeight={600} fill={fg}>
              {backend.title}
            </text>
            <text x={backendX + 16} y={y + 34} fontSize={11} fill={muted}>
              {backend.lines[0]}
            </text>
            <text x={backendX + 16} y={y + 48} fontSize={11} fill={muted}>
              {backend.lines[1]}
            </text>
          </g>
        );
      })}

      {/* Sealed lanes, one per party, drawn over the boxes they pass through */}
      {backends.map((backend, index) => {
        const color = colorOf(parties[backend.party].colorVar);
        const y = laneY(index);
        const dashed = domains[index]?.optional === true;
        return (
          <g key={`lane-${backend.party}`}>
            <line
              x1={rowX + rowWidth}
              y1={y}
              x2={backendX}
              y2={y}
              stroke={color}
              strokeWidth={3}
              strokeLinecap="round"
              strokeDasharray={dashed ? '8 5' : undefined}
            />
            <circle cx={rowX + rowWidth} cy={y} r={4} fill={color} />
            <circle cx={backendX} cy={y} r={4} fill={color} />
            <Lock x={hub.x + hub.width / 2} y={y} color={color} />
            <Lock x={lockX} y={y} color={color} />
            <circle cx={metadataX} cy={y} r={3.5} fill="var(--card)" stroke={colorOf(parties.dcc.colorVar)} strokeWidth={1.5} />
          </g>
        );
      })}

      {/* Legend */}
      <g fontSize={11} fill={fg}>
        {(
          [
            { x: legendX, color: colorOf(parties.supplier.colorVar), label: 'Supplier' },
            { x: legendX + 94, color: colorOf(parties.dno.colorVar), label: 'DNO' },
            { x: legendX + 168, color: colorOf(parties.telecare.colorVar), label: 'Telecare (optional)', dash: '5 3' },
            { x: legendX + 320, color: colorOf(parties.householder.colorVar), label: 'Householder' },
            { x: legendX + 434, color: colorOf(parties.dcc.colorVar), label: 'Metadata only', dash: '3 3', thin: true },
          ] as const
        ).map((item) => (
          <g key={item.label}>
            <line
              x1={item.x}
              y1={412}
              x2={item.x + 20}
              y2={412}
              stroke={item.color}
              strokeWidth={'thin' in item ? 1.5 : 3}
              strokeLinecap="round"
              strokeDasharray={'dash' in item ? item.dash : undefined}
            />
            <text x={item.x + 26} y={416}>
              {item.label}
            </text>
          </g>
        ))}
        <Lock x={legendX + 11} y={439} color={muted} />
        <text x={legendX + 30} y={443} fill={muted}>
          Sealed end to end (SCP11 + SCP03): only the meter&apos;s domain and that party can open it.
        </text>
      </g>
    </svg>
  );
}
