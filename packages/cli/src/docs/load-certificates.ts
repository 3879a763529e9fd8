import { relative, resolve } from 'node:path';
import { CertificateSchema, type CertificateDocument } from '@stateproof/spec';
import { loadDocument, type LintDiagnostic } from '@stateproof/lint';
import type { CertificateSource } from '@stateproof/docs';

/** Certificates read for the matrix, or the problems of those that could not be read. */
export interface LoadedCertificates {
  readonly sources: CertificateSource[];
  readonly problems: LintDiagnostic[];
}

/**
 * Reads and validates each certificate file (spec/schema/certificate.schema.json); the link of
 * each is its path relative to the folder the matrix is written to.
 */
export function loadCertificates(files: readonly string[], cwd: string, outDir: string): LoadedCertificates {
  const sources: CertificateSource[] = [];
  const problems: LintDiagnostic[] = [];
  for (const file of files) {
    const loaded = loadDocument<CertificateDocument>(file, cwd, CertificateSchema, 'certificate');
    problems.push(...loaded.diagnostics);
    if (loaded.document === undefined) continue;
    const link = relative(resolve(cwd, outDir), resolve(cwd, file)).split('\\').join('/');
    sources.push({ link, certificate: loaded.document });
  }
  return { sources, problems };
}
