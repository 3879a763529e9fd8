import {
  DURABILITY_CLASSES,
  SPEC_VERSION,
  SURFACE_KINDS,
  type CertificateDocument,
  type DurabilityClass,
  type SurfaceKind,
} from '@stateproof/spec';
import { anchorTag, uniqueAnchors } from '../markdown/anchor.js';
import { requirementLink } from '../contract/contract-reference.js';
import { code, linkTarget, linkText, raw, table } from '../markdown/markdown-table.js';
import { generatedBanner, type GeneratedFile } from '../generated/generated-file.js';

/** A certificate and the relative link to its file from the matrix page. */
export interface CertificateSource {
  /** Relative link from the page to the certificate file (`certificates/sqlite.json`). */
  readonly link: string;
  /** The certificate, validated against its schema. */
  readonly certificate: CertificateDocument;
}

/** The input of the certification matrix. */
export interface CertificationMatrixInput {
  /** One certificate per adapter, in any order; the page sorts them by adapter name. */
  readonly certificates: readonly CertificateSource[];
  /** The command that regenerates the page, written into its banner. */
  readonly command: string;
  /** A relative link to the contract reference folder (`reference`), so failed requirements link to their text. */
  readonly contractLink?: string;
  /** The file name of the page (default `certification.md`). */
  readonly fileName?: string;
}

/** What one cell of the matrix says of one adapter, kind and class. */
export type MatrixCell = 'certified' | 'partial' | 'fail' | 'not run' | 'not claimed';

/**
 * The cell of one adapter (certificate), kind and class: the certificate's verdict when the class
 * ran for the kind; `not run` when the adapter claims the class for the kind but the run did not
 * include it; `not claimed` otherwise. Only a run earns `certified`.
 */
export function matrixCell(certificate: CertificateDocument, kind: SurfaceKind, cls: DurabilityClass): MatrixCell {
  const verdict = certificate.classes.find((v) => v.kind === kind && v.class === cls);
  if (verdict) return verdict.verdict;
  return certificate.capabilities.kinds[kind]?.classes.includes(cls) ? 'not run' : 'not claimed';
}

/** The anchor of an adapter's evidence section. */
export function adapterAnchor(
  certificate: Pick<CertificateDocument, 'adapter'> | { adapter: { name: string } },
): string {
  return `adapter-${certificate.adapter.name.toLowerCase().replace(/[^a-z0-9_-]/g, '-')}`;
}

const CELL_TEXT: Record<MatrixCell, string> = {
  certified: '✅ certified',
  partial: '🟡 partial',
  fail: '❌ fail',
  'not run': 'not run',
  'not claimed': '—',
};

/**
 * The certification matrix: adapter × kind × class, each cell certified, partial, fail, not run or
 * not claimed and linked to its adapter's evidence (seed, date, backend identity and settings, the
 * probe's reasons, crash and backend-kill results, missing checks, failed requirements with their
 * replay commands). Certificates are sorted by adapter name; the page holds nothing that is not in
 * them, so the same certificates give the same bytes.
 */
export function certificationMatrix(input: CertificationMatrixInput): GeneratedFile {
  const certs = [...input.certificates].sort((a, b) =>
    a.certificate.adapter.name === b.certificate.adapter.name
      ? a.link < b.link
        ? -1
        : 1
      : a.certificate.adapter.name < b.certificate.adapter.name
        ? -1
        : 1,
  );
  const names = certs.map((c) => c.certificate.adapter.name);
  const duplicated = names.filter((n, i) => names.indexOf(n) !== i);
  if (duplicated.length > 0)
    throw new Error(
      `two certificates of the same adapter: ${[...new Set(duplicated)].join(', ')}; pass one per adapter`,
    );
  const anchorOf = uniqueAnchors(names, (name) => adapterAnchor({ adapter: { name } }));
  const anchor = (c: CertificateDocument) => anchorOf.get(c.adapter.name)!;
  const classes = DURABILITY_CLASSES.filter((c) =>
    certs.some((s) => SURFACE_KINDS.some((k) => matrixCell(s.certificate, k, c) !== 'not claimed')),
  );
  const lines = [
    generatedBanner(input.command),
    '',
    '# Certification matrix',
    '',
    `What each adapter was proven to do, from ${certs.length} ${certs.length === 1 ? 'certificate' : 'certificates'}: one row per adapter and kind, one column per durability class.`,
    '',
    '- ✅ **certified**: every check the class needs ran in full and passed.',
    '- 🟡 **partial**: nothing failed, but a check the class needs did not run (named in the evidence).',
    '- ❌ **fail**: a check failed; the evidence names the requirements and how to replay them.',
    '- **not run**: the adapter claims the class for the kind, but this certificate did not test it.',
    '- **—**: the adapter does not claim the class for the kind.',
    '',
    'Only a run earns a pass: a cell is never filled in from a claim. Each cell links to the evidence of its adapter.',
    '',
  ];
  if (certs.length === 0) lines.push('No certificates were given.', '');
  else
    lines.push(
      table(
        ['adapter', 'kind', ...classes],
        certs.flatMap(({ certificate }) =>
          SURFACE_KINDS.filter((k) => certificate.capabilities.kinds[k] !== undefined).map((kind) => [
            raw(`[${linkText(certificate.adapter.name)}](#${anchor(certificate)})`),
            kind,
            ...classes.map((c) => {
              const cellValue = matrixCell(certificate, kind, c);
              return cellValue === 'not claimed' || cellValue === 'not run'
                ? CELL_TEXT[cellValue]
                : raw(`[${CELL_TEXT[cellValue]}](#${anchor(certificate)})`);
            }),
          ]),
        ),
      ),
      '',
    );
  for (const source of certs) lines.push(...evidence(source, anchor(source.certificate), input.contractLink));
  return { path: input.fileName ?? 'certification.md', text: lines.join('\n') };
}

function evidence(
  { link, certificate: c }: CertificateSource,
  anchor: string,
  contractLink: string | undefined,
): string[] {
  const counts = (status: string) => c.requirements.filter((r) => r.status === status).length;
  const stale =
    c.specVersion === SPEC_VERSION
      ? []
      : [
          `> **Stale**: certified against spec ${c.specVersion}; the contract is now at ${SPEC_VERSION}. Certify again.`,
          '',
        ];
  const lines = [
    anchorTag(anchor),
    '',
    `## ${c.adapter.name}`,
    '',
    ...stale,
    table(
      ['evidence', 'value'],
      [
        ['verdict', c.verdict],
        ['certificate', raw(`[${linkText(link)}](${linkTarget(link)})`)],
        ['adapter', `${c.adapter.name} ${c.adapter.version}${c.adapter.module ? ` (${c.adapter.module})` : ''}`],
        ['backend', `${c.backend.name}${c.backend.version ? ` ${c.backend.version}` : ''}`],
        [
          'settings',
          raw(
            Object.entries(c.backend.settings)
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
              .map(([k, v]) => code(`${k}=${String(v)}`))
              .join(' '),
          ),
        ],
        ['seed', raw(`${code(String(c.run.seed))}, ${c.run.runs} runs per property`)],
        ['date', c.run.startedAt],
        ['took', `${(c.run.durationMs / 1000).toFixed(1)} s on ${c.run.platform}, Node ${c.run.node}`],
        ['tool', `${c.tool.name} ${c.tool.version}, spec ${c.specVersion}`],
        ['requirements', `${counts('pass')} passed, ${counts('fail')} failed, ${counts('skip')} skipped`],
      ],
    ),
    '',
  ];
  if (c.probe !== undefined)
    lines.push(
      '### Probe',
      '',
      table(
        ['class', 'certifiable', 'reasons'],
        c.probe.classes.map((p) => [p.class, p.certified ? 'yes' : 'no', p.reasons.join('\n')]),
      ),
      '',
    );
  if (c.crash.length > 0)
    lines.push(
      '### Crash and backend-kill runs',
      '',
      table(
        [
          'scenario',
          'class',
          'kinds',
          'process kills',
          'backend kills',
          'acknowledged',
          'seed',
          'status',
          'violations',
        ],
        c.crash.map((r) => [
          r.scenario,
          r.class,
          r.kinds.join(', '),
          outage(r) ? 0 : r.kills,
          backendKills(r),
          r.acknowledged,
          r.seed ?? '',
          r.status,
          violationsCell(r),
        ]),
      ),
      '',
    );
  else lines.push('### Crash and backend-kill runs', '', 'None were run for this certificate.', '');
  const notCertified = c.classes.filter((v) => v.verdict !== 'certified');
  if (notCertified.length > 0)
    lines.push(
      '### Classes not certified',
      '',
      table(
        ['class', 'kind', 'verdict', 'checks not passed'],
        notCertified.map((v) => [
          v.class,
          v.kind,
          v.verdict,
          v.checks
            .filter((k) => k.status !== 'pass')
            .map((k) => `${k.check} (${k.status}): ${k.detail}`)
            .join('; '),
        ]),
      ),
      '',
    );
  const failed = c.requirements.filter((r) => r.status === 'fail');
  if (failed.length > 0)
    lines.push(
      '### Failed requirements',
      '',
      table(
        ['requirement', 'kind', 'what failed', 'replay'],
        failed.map((r) => [
          contractLink === undefined ? r.id : raw(requirementLink(r, contractLink)),
          r.kind,
          r.reason,
          r.replay?.command === undefined ? `seed ${r.replay?.seed ?? c.run.seed}` : raw(code(r.replay.command)),
        ]),
      ),
      '',
    );
  return lines;
}

type CrashEntry = CertificateDocument['crash'][number];

/** A backend outage (a telemetry run): its `kills` are of the server, not of processes. */
const outage = (r: CrashEntry) => r.scenario.startsWith('backend-outage/');

/** A crash run's backend kills: counted in newer certificates; an older one names them only by its scenario. */
function backendKills(r: CrashEntry): string | number {
  if (r.backendKills !== undefined) return r.backendKills;
  if (outage(r)) return r.kills;
  return r.scenario.startsWith('process-and-backend-kill/') ? 'not counted' : 0;
}

/** The violations a crash run found: how many (all of them, when the certificate counts them), then the first three. */
function violationsCell(r: CrashEntry): string {
  const n = r.violationCount ?? r.violations.length;
  return n === 0 ? '0' : `${n}: ${r.violations.slice(0, 3).join('; ')}`;
}
