import { readFileSync } from 'node:fs';

/**
 * Reads a V8 `.cpuprofile` (what `node --cpu-prof` writes) and sums self time per frame and per
 * part of our path, over a window of the profile only: a server's profile also holds its
 * start-up and shutdown, which are not the load being measured.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FrameShare {
  frame: string;
  part: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  window_ms: number;
  /** main-thread time not idle, share of the window */
  busy_share: number;
  parts: { part: string; ms: number; share: number }[];
  top: FrameShare[];
}

/**
 * Which part of the path a frame belongs to, by its file (first match wins). Node-internal and
 * native frames without a file are named by their function.
 */
const PARTS: [RegExp, string][] = [
  [/ingest-body|json-body/, 'parse (body decode)'],
  [/packages\/schema\//, 'validate/normalize'],
  [/pipeline\/src\/dedupe|warming-dedupe|claim/, 'dedupe'],
  [/accept-items/, 'accept (dedupe + commit glue)'],
  [/crc32/, 'log CRC'],
  [/pipeline\/src\/log\//, 'log frame encode + group commit'],
  [/pipeline\/src\/steps|pipeline\/src\/attribution|packages\/attribution\/|storage\/src\/index\//, 'pipeline: attribution'],
  [/event-rows|attribution-rows|transport-event-store|serial-queue/, 'pipeline: row encoding + insert glue'],
  [/node_modules\/chdb|chdb-transport/, 'chDB insert/query'],
  [/prom-client|ops\/metrics|domain-metrics|minute-ring/, 'metrics'],
  [/pino|sonic-boom|request-logging|log-safety/, 'logging'],
  [/clicks\//, 'click route'],
  [/ingest\.routes|ingest\/|keys\//, 'ingest route'],
  [/pglite|storage\/src\/control/, 'PGlite (control store)'],
  [/postback/, 'postbacks'],
  [/fastify|find-my-way|avvio|light-my-request|secure-json|fast-json-stringify|http\//, 'Fastify'],
  [/node:_http|node:http|node:net|node:stream|node:internal\/stream|_http_/, 'Node HTTP/streams'],
  [/node:internal\/fs|node:fs/, 'Node fs'],
];
const BY_NAME: [RegExp, string][] = [
  [/^\(garbage collector\)$/, 'GC'],
  [/^\(program\)$/, '(program: native, not attributed)'],
  [/^\(idle\)$/, 'idle'],
  [/^parse$|^JSON\.parse$/, 'parse (JSON.parse)'],
  [/^stringify$/, 'JSON.stringify'],
  [/writev|writeBuffer|writeString|writeUtf8String|writeLatin1String/, 'socket write'],
  [/datasync|fdatasync|^write$|^fsync$/, 'fs write + fdatasync'],
];

function partOf(fn: string, url: string): string {
  for (const [re, part] of PARTS) if (url && re.test(url)) return part;
  for (const [re, part] of BY_NAME) if (re.test(fn)) return part;
  return url ? 'other JS' : 'other native';
}

/**
 * Self time per frame within [fromUs, toUs] (the profile's clock: CLOCK_MONOTONIC µs, the same
 * clock as `process.hrtime` on Linux). Omit the window to take all of it.
 */
export function summarizeProfile(file: string, window?: { fromUs: number; toUs: number }, topN = 30): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let t = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    if (window && (t < window.fromUs || t > window.toUs)) continue;
    // A sample's time is the gap to the next one.
    const dt = profile.timeDeltas[i + 1] ?? 0;
    self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + dt);
    total += dt;
  }
  const frames = new Map<string, { part: string; us: number }>();
  const parts = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const file = url.replace(/^file:\/\//, '').replace(/.*\/(packages|node_modules)\//, '$1/');
    const frame = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
    const part = partOf(functionName, url);
    const f = frames.get(frame) ?? { part, us: 0 };
    f.us += us;
    frames.set(frame, f);
    parts.set(part, (parts.get(part) ?? 0) + us);
  }
  const idle = parts.get('idle') ?? 0;
  const ms = (us: number) => Math.round(us / 100) / 10;
  const share = (us: number) => Math.round((us / Math.max(1, total)) * 1000) / 10;
  return {
    window_ms: ms(total),
    busy_share: share(total - idle),
    parts: [...parts].sort((a, b) => b[1] - a[1]).map(([part, us]) => ({ part, ms: ms(us), share: share(us) })),
    top: [...frames]
      .filter(([, f]) => f.part !== 'idle')
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, topN)
      .map(([frame, f]) => ({ frame, part: f.part, ms: ms(f.us), share: share(f.us) })),
  };
}
