/**
 * A small hand-written SVG writer for docs/benchmarks.svg: synth time against N (library and L1,
 * measured side by side) and Customer Profiles calls per resource and lifecycle step.
 */

export interface SynthPoint {
  readonly n: number;
  readonly libraryMs: number;
  readonly l1Ms: number;
  /** The floor: the same provider and bare custom resources (bench/synth-stacks.ts, floorStack). */
  readonly floorMs: number;
}

export interface CallsRow {
  readonly label: string;
  readonly createWrites: number;
  readonly createReads: number;
  readonly polls: number;
  readonly redeployCalls: number;
  readonly deleteWrites: number;
  readonly deleteReads: number;
  readonly deletePolls: number;
}

const FONT = 'font-family="Helvetica, Arial, sans-serif"';
const LIBRARY = '#d9480f';
const L1 = '#1c7ed6';
const FLOOR = '#868e96';
const WRITE = '#e8590c';
const READ = '#74c0fc';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function text(x: number, y: number, s: string, attrs = ''): string {
  const size = attrs.includes('font-size') ? '' : ' font-size="12"';
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${FONT}${size} ${attrs}>${esc(s)}</text>`;
}

function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(v, 1)));
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * p >= v) return m * p;
  }
  return 10 * p;
}

/** Line chart: synth milliseconds against N for both stacks. */
function synthPanel(points: SynthPoint[], x0: number, y0: number, w: number, h: number): string[] {
  const out: string[] = [];
  const maxN = Math.max(...points.map((p) => p.n));
  const maxMs = niceMax(Math.max(...points.flatMap((p) => [p.libraryMs, p.l1Ms, p.floorMs])));
  const px = (n: number) => x0 + (n / maxN) * w;
  const py = (ms: number) => y0 + h - (ms / maxMs) * h;
  out.push(text(x0, y0 - 24, 'Synth time (construct + synthesize, median, in-process)', 'font-weight="bold" font-size="14"'));
  out.push(`<line x1="${x0}" y1="${y0 + h}" x2="${x0 + w}" y2="${y0 + h}" stroke="#333"/>`);
  out.push(`<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y0 + h}" stroke="#333"/>`);
  for (let i = 0; i <= 4; i++) {
    const ms = (maxMs * i) / 4;
    out.push(`<line x1="${x0}" y1="${py(ms).toFixed(1)}" x2="${x0 + w}" y2="${py(ms).toFixed(1)}" stroke="#eee"/>`);
    out.push(text(x0 - 8, py(ms) + 4, `${ms.toFixed(0)} ms`, 'text-anchor="end" fill="#555"'));
  }
  for (const p of points) {
    out.push(text(px(p.n), y0 + h + 18, `N=${p.n}`, 'text-anchor="middle" fill="#555"'));
  }
  for (const [key, color] of [['libraryMs', LIBRARY], ['floorMs', FLOOR], ['l1Ms', L1]] as const) {
    const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p.n).toFixed(1)},${py(p[key]).toFixed(1)}`).join(' ');
    out.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2.5"/>`);
    for (const p of points) {
      out.push(`<circle cx="${px(p.n).toFixed(1)}" cy="${py(p[key]).toFixed(1)}" r="4" fill="${color}"/>`);
      out.push(text(px(p.n) + 6, py(p[key]) - 6, `${p[key].toFixed(0)}`, `fill="${color}"`));
    }
  }
  const ly = y0 + h + 40;
  out.push(`<rect x="${x0}" y="${ly - 10}" width="14" height="4" fill="${LIBRARY}"/>`, text(x0 + 20, ly - 4, 'this library'));
  out.push(`<rect x="${x0 + 120}" y="${ly - 10}" width="14" height="4" fill="${L1}"/>`, text(x0 + 140, ly - 4, 'native L1 classes'));
  out.push(`<rect x="${x0 + 270}" y="${ly - 10}" width="14" height="4" fill="${FLOOR}"/>`, text(x0 + 290, ly - 4, 'floor: same provider, bare custom resources'));
  const ratios = (key: 'libraryMs' | 'floorMs') => points.map((p) => `N=${p.n}: ${(p[key] / p.l1Ms).toFixed(2)}`).join('   ');
  out.push(text(x0, ly + 16, `library / L1   ${ratios('libraryMs')}   (target <= 1.15)`, 'fill="#333"'));
  out.push(text(x0, ly + 32, `floor / L1   ${ratios('floorMs')}`, 'fill="#555"'));
  return out;
}

/** Bars: writes per resource and step; reads shown as "reads / polls". */
function callsPanel(rows: CallsRow[], x0: number, y0: number): string[] {
  const out: string[] = [];
  out.push(text(x0, y0 - 24, 'Customer Profiles calls per resource (emulator request log)', 'font-weight="bold" font-size="14"'));
  const labelW = 150;
  const unit = 22;
  const rowH = 26;
  const cols = [
    { title: 'create: writes', x: x0 + labelW },
    { title: 'redeploy: calls', x: x0 + labelW + 120 },
    { title: 'delete: writes', x: x0 + labelW + 220 },
    { title: 'reads / polls (create, delete)', x: x0 + labelW + 330 },
  ];
  for (const c of cols) out.push(text(c.x, y0 - 4, c.title, 'fill="#555"'));
  rows.forEach((r, i) => {
    const y = y0 + 8 + i * rowH;
    out.push(text(x0, y + 13, r.label));
    const bar = (x: number, n: number, color: string) => {
      out.push(`<rect x="${x}" y="${y}" width="${Math.max(n * unit, 1)}" height="16" fill="${n > 0 ? color : '#ccc'}"/>`);
      out.push(text(x + Math.max(n * unit, 1) + 4, y + 13, String(n)));
    };
    bar(cols[0].x, r.createWrites, WRITE);
    bar(cols[1].x, r.redeployCalls, WRITE);
    bar(cols[2].x, r.deleteWrites, WRITE);
    out.push(`<rect x="${cols[3].x - 18}" y="${y + 3}" width="12" height="10" fill="${READ}"/>`);
    out.push(text(cols[3].x, y + 13, `create ${r.createReads} / ${r.polls}, delete ${r.deleteReads} / ${r.deletePolls}`, 'fill="#1864ab"'));
  });
  const ly = y0 + 8 + rows.length * rowH + 14;
  out.push(text(x0, ly, 'A poll is one isComplete call of the Provider framework (every 15 s); each makes at most one read.', 'fill="#555"'));
  out.push(`<rect x="${x0}" y="${ly + 8}" width="14" height="10" fill="${WRITE}"/>`, text(x0 + 20, ly + 17, 'writes'));
  out.push(`<rect x="${x0 + 80}" y="${ly + 8}" width="14" height="10" fill="${READ}"/>`, text(x0 + 100, ly + 17, 'reads / polls', 'fill="#555"'));
  return out;
}

export function renderChart(points: SynthPoint[], rows: CallsRow[], caption: string): string {
  const width = 760;
  const synthTop = 50;
  const synthH = 220;
  const callsTop = synthTop + synthH + 136;
  const height = callsTop + 30 + rows.length * 26 + 60;
  const body = [
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...synthPanel(points, 90, synthTop, width - 160, synthH),
    ...callsPanel(rows, 30, callsTop),
    text(30, height - 10, caption, 'fill="#888" font-size="10"'),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    ...body.map((l) => `  ${l}`),
    '</svg>',
    '',
  ].join('\n');
}
