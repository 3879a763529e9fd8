// Runs the README's main job the way a new user would: in a fresh clone of the committed tree, with
// no earlier install or build, exactly as written. Then checks that `npx stateproof --help` works
// there and that the job wrote at least one certificate, each valid against the clone's own
// spec/schema/certificate.schema.json and certifying every class it holds. Exits 1 when any of that fails.
//
//   node tools/ci/main-job.mjs [--keep]     (--keep leaves the clone in place and prints its path)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { firstShCommand } from './readme-command.mjs';

const root = resolve(import.meta.dirname, '../..');
const keep = process.argv.includes('--keep');
const started = performance.now();

function fail(message) {
  console.error(`main job: FAILED: ${message}`);
  process.exit(1);
}

const command = firstShCommand(readFileSync(join(root, 'README.md'), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'stateproof-main-job-'));
const clone = join(dir, 'stateproof');
process.on('exit', () => {
  if (keep) console.error(`main job: the clone is kept at ${clone}`);
  else rmSync(dir, { recursive: true, force: true });
});

console.error(`main job: cloning ${root} (HEAD) into ${clone}`);
const cloned = spawnSync('git', ['clone', '--quiet', '--no-hardlinks', root, clone], { stdio: 'inherit' });
if (cloned.status !== 0) fail(`git clone exited ${cloned.status}`);

console.error(`main job: running the README's first command in the clone:\n  $ ${command}`);
const job = spawnSync('sh', ['-c', command], { cwd: clone, stdio: 'inherit', env: process.env });
if (job.status !== 0) fail(`\`${command}\` exited ${job.status ?? job.signal} in a fresh clone`);

const help = spawnSync('npx', ['--no-install', 'stateproof', '--help'], { cwd: clone, encoding: 'utf8' });
if (help.status !== 0 || !help.stdout.includes('Usage: stateproof')) {
  fail(
    `\`npx stateproof --help\` in the clone exited ${help.status}: ${(help.stderr || help.stdout).trim().split('\n')[0]}`,
  );
}

const certDir = join(clone, '.stateproof');
const certificates = existsSync(certDir) ? readdirSync(certDir).filter((f) => f.endsWith('.json')) : [];
if (certificates.length === 0) fail('the main job wrote no certificate into .stateproof/');
const { createDocumentAjv } = await import(pathToFileURL(join(clone, 'spec/dist/index.js')).href);
const validate = createDocumentAjv().compile(
  JSON.parse(readFileSync(join(clone, 'spec/schema/certificate.schema.json'), 'utf8')),
);
for (const file of certificates) {
  let doc;
  try {
    doc = JSON.parse(readFileSync(join(certDir, file), 'utf8'));
  } catch (error) {
    fail(`.stateproof/${file} is not JSON: ${error.message}`);
  }
  if (!validate(doc)) {
    const problems = validate.errors.slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`);
    fail(`.stateproof/${file} is not a valid certificate: ${problems.join('; ')}`);
  }
  if (doc.verdict !== 'certified') fail(`.stateproof/${file} has verdict ${doc.verdict}, although the job exited 0`);
  // Every class the certificate holds must be certified: every check the taxonomy requires ran and passed.
  const uncertified = (doc.classes ?? []).filter((c) => c.verdict !== 'certified');
  if ((doc.classes ?? []).length === 0) fail(`.stateproof/${file} certifies no class`);
  if (uncertified.length > 0)
    fail(
      `.stateproof/${file}: ${uncertified.map((c) => `${c.class} ${c.kind} ${c.verdict} (missing ${c.missing.join(', ') || 'none'})`).join('; ')}`,
    );
  const classes = (doc.classes ?? []).map((c) => `${c.kind} ${c.class} ${c.verdict}`).join(', ');
  console.error(
    `main job: .stateproof/${file}: valid certificate, verdict ${doc.verdict}, crash scenarios ${doc.crash?.length ?? 0}; ${classes}`,
  );
}
console.error(`main job: ok in ${((performance.now() - started) / 1000).toFixed(0)} s`);
