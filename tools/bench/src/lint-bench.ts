import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { measure, type Benchmark } from './benchmark.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
// tools/bench/{src,dist} -> the repository root.
const repo = resolve(here, '../../..');

/**
 * One generated module: TypeBox schemas with their static types, a record and a telemetry log with
 * ids built from consts, an import of the previous module's id const, an interface, a class and
 * helper functions, about 100 lines in all, so that both tools read realistic TypeScript.
 */
function moduleText(i: number): string {
  const prev = i > 0 ? `import { SHARED_${i - 1} } from './m${i - 1}.js';\n` : '';
  const helpers: string[] = [];
  for (let k = 0; k < 5; k++) {
    helpers.push(
      `export function helper${i}_${k}(items: readonly Item${i}[], limit: number): Order${i}[] {`,
      '  const out: Order' + i + '[] = [];',
      '  for (const item of items) {',
      `    if (item.qty > limit) continue;`,
      `    out.push({ id: item.id, total: item.qty * ${k + 1}, lines: item.tags.length, placedAt: Date.now(), note: item.note ?? '' });`,
      '  }',
      `  return out.sort((a, b) => a.total - b.total);`,
      '}',
      '',
    );
  }
  return [
    "import { Type, type Static } from '@sinclair/typebox';",
    "import { log, record } from '@stateproof/core';",
    prev,
    `const PREFIX = 'svc${i}';`,
    `export const SHARED_${i} = \`\${PREFIX}.shared\`;`,
    `const PREVIOUS = ${i > 0 ? `SHARED_${i - 1}` : "'none'"};`,
    '',
    `export const Item${i} = Type.Object({`,
    '  id: Type.String({ minLength: 1 }),',
    '  qty: Type.Integer({ minimum: 0 }),',
    '  tags: Type.Array(Type.String(), { maxItems: 16 }),',
    '  note: Type.Optional(Type.String()),',
    "  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),",
    '});',
    `export type Item${i} = Static<typeof Item${i}>;`,
    '',
    `export const items${i} = record(\`\${PREFIX}.items\`, {`,
    "  durability: 'shared-durable',",
    `  value: Item${i},`,
    '  ttlMs: 24 * 60 * 60 * 1000,',
    "  owner: 'team-bench',",
    '});',
    '',
    `export const events${i} = log(PREFIX + '.events', {`,
    "  durability: 'telemetry',",
    '  value: Type.Object({ at: Type.Integer(), kind: Type.String(), from: Type.String() }),',
    '  retention: { maxEntries: 1_000 },',
    '});',
    '',
    `export interface Order${i} {`,
    '  readonly id: string;',
    '  readonly total: number;',
    '  readonly lines: number;',
    '  readonly placedAt: number;',
    '  readonly note: string;',
    '}',
    '',
    `export class Service${i} {`,
    `  private readonly cache = new Map<string, Item${i}>();`,
    `  readonly origin = PREVIOUS;`,
    '',
    `  put(item: Item${i}): void {`,
    '    this.cache.set(item.id, item);',
    '  }',
    '',
    `  get(id: string): Item${i} | undefined {`,
    '    return this.cache.get(id);',
    '  }',
    '',
    `  open(): Item${i}[] {`,
    "    return [...this.cache.values()].filter((item) => item.status === 'open');",
    '  }',
    '',
    '  totalQty(): number {',
    '    let sum = 0;',
    '    for (const item of this.cache.values()) sum += item.qty;',
    '    return sum;',
    '  }',
    '}',
    '',
    ...helpers,
  ].join('\n');
}

/** Writes the generated project; returns its directory, file and line counts. */
function generate(files: number): { dir: string; lines: number } {
  const dir = mkdtempSync(join(tmpdir(), 'stateproof-lint-bench-'));
  mkdirSync(join(dir, 'src'));
  // The project resolves @stateproof/core and @sinclair/typebox as an application would, from node_modules.
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'lint-bench-app', private: true, type: 'module' }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'es2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          skipLibCheck: true,
          noEmit: true,
          types: ['node'],
        },
        include: ['src'],
      },
      null,
      2,
    ),
  );
  let lines = 0;
  for (let i = 0; i < files; i++) {
    const text = moduleText(i);
    lines += text.split('\n').length;
    writeFileSync(join(dir, 'src', `m${i}.ts`), text);
  }
  return { dir, lines };
}

/**
 * `stateproof lint` against `tsc --noEmit` on the same generated tree of 2,000 files (about 200,000
 * lines at scale 1), each in its own process, in one run. Target: lint in a quarter of tsc's time.
 */
export const lintBenchmark: Benchmark = {
  name: 'lint',
  description: 'stateproof lint vs tsc --noEmit on a generated 2,000-file, ~200,000-line project',
  async run({ scale, progress }) {
    const files = Math.max(10, Math.round(2000 * scale));
    const { dir, lines } = generate(files);
    progress(`generated ${files} files, ${lines} lines in ${dir}`);
    try {
      const tsc = join(repo, 'node_modules/typescript/lib/tsc.js');
      const tscRow = await measure(
        'tsc --noEmit',
        files,
        async () => {
          await run(process.execPath, [tsc, '--noEmit', '-p', join(dir, 'tsconfig.json')], {
            maxBuffer: 64 * 1024 * 1024,
          });
        },
        `${lines} lines`,
      );
      progress(`tsc --noEmit: ${tscRow.ms.toFixed(0)} ms`);
      const script = [
        "import { lint } from '@stateproof/lint';",
        `const r = lint({ cwd: ${JSON.stringify(dir)} });`,
        'if (r.exitCode !== 0) { console.error(JSON.stringify(r.diagnostics.slice(0, 5))); process.exit(1); }',
        'console.log(r.surfaces.length);',
      ].join('\n');
      let surfaces = 0;
      const lintRow = await measure(
        'stateproof lint',
        files,
        async () => {
          const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
            cwd: here,
            maxBuffer: 64 * 1024 * 1024,
          });
          surfaces = Number(stdout.trim());
        },
        `${lines} lines`,
      );
      progress(`stateproof lint: ${lintRow.ms.toFixed(0)} ms, ${surfaces} surfaces`);
      if (surfaces !== files * 2) throw new Error(`lint found ${surfaces} surfaces, expected ${files * 2}`);
      return {
        name: 'lint',
        rows: [tscRow, { ...lintRow, notes: `${lines} lines, ${surfaces} surfaces` }],
        ratios: { 'tsc time / lint time': tscRow.ms / lintRow.ms },
        targets: { 'tsc time / lint time': 4 },
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
