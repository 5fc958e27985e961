import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface LicenceSources {
  readonly node: { readonly version: string | null; readonly licenseFile: string | null };
  /** Repository-relative package folders (node_modules/<name>) shipped or inlined into the bundles. */
  readonly packages: readonly string[];
}

const LICENCE_FILE = /^(licen[cs]e|copying|notice)(\.(md|txt))?$/i;

/**
 * THIRD_PARTY_LICENSES.txt: the archive redistributes Node and every npm package its bundles inline, so
 * it carries their licences, each package's own text where it ships one (else its package.json field).
 */
export async function thirdPartyLicenses(repoRoot: string, sources: LicenceSources): Promise<string> {
  const sections: string[] = [
    section(
      `Node.js ${sources.node.version ?? ''}`.trim(),
      'node/bin/node',
      sources.node.licenseFile
        ? await readFile(sources.node.licenseFile, 'utf8')
        : 'MIT (see https://github.com/nodejs/node/blob/main/LICENSE)',
    ),
  ];
  const seen = new Set<string>();
  for (const folder of sources.packages) {
    const dir = join(repoRoot, folder);
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      license?: string;
    };
    const id = `${pkg.name}@${pkg.version}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const files = (await readdir(dir)).filter((f) => LICENCE_FILE.test(f)).sort();
    const texts = await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')));
    sections.push(
      section(
        id,
        pkg.license ?? 'no licence field',
        texts.length > 0 ? texts.join('\n\n') : '(no licence text in the package)',
      ),
    );
  }
  return `${sections.join('\n\n')}\n`;
}

function section(title: string, subtitle: string, text: string): string {
  return `${'='.repeat(78)}\n${title} — ${subtitle}\n${'='.repeat(78)}\n\n${text.trim()}`;
}
