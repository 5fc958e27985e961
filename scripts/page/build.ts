import { relative } from 'node:path';
import { buildPage, writePageModule } from './build-page.ts';

/** `npx tsx scripts/page/build.ts`: builds the page (wrangler runs this first) and prints its size. */
const page = await buildPage();
const path = await writePageModule(page);
const kib = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;
process.stdout.write(
  `page: ${relative(process.cwd(), path)}: first visit ${page.firstVisit.gzip} B gzip (${kib(page.firstVisit.gzip)}), ` +
    `${page.firstVisit.raw} B raw; all ${page.files.length} files ${page.all.gzip} B gzip, ${page.all.raw} B raw\n`,
);
