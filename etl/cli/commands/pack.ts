import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ownerPackPages, printPage, sitePageExists } from '../../pipeline/pack.ts';
import { reportsBuildDir } from '../../pipeline/reports.ts';
import { EXIT, UsageError } from '../exit-codes.ts';
import { parseArgs } from '../options.ts';

const code = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only');
const packOptions = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM')
    .optional(),
  practice: code.optional(),
  payer: code.optional(),
  dir: z.string(),
  out: z.string().optional(),
});

/**
 * `rcm pack --month YYYY-MM [--practice ID] [--dir DIR] [--out FILE]`: prints the owner pack of a practice and
 * month from the built report site as one PDF. `rcm pack --payer ID [--practice ID] [--month YYYY-MM] …` prints
 * that payer's page instead, which covers every month (its own period filter): --month is not needed, and when
 * given only names the file and the footer.
 */
export async function packCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      month: { type: 'string' },
      practice: { type: 'string' },
      payer: { type: 'string' },
      dir: { type: 'string', default: reportsBuildDir },
      out: { type: 'string' },
    },
  });
  const parsed = packOptions.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`--${String(issue?.path[0])}: ${issue?.message}`);
  }
  const { month, payer, dir } = parsed.data;
  if (!payer && month === undefined)
    throw new UsageError(
      '--month YYYY-MM is required for the owner pack (a payer page, --payer ID, needs none)',
    );
  if (!existsSync(path.join(dir, 'index.html')))
    throw new Error(`${dir} holds no report site: run \`npx rcm reports\` first (or pass --dir)`);

  const practices = [...new Set(ownerPackPages(dir).map((p) => p.practice))].sort();
  const practice = parsed.data.practice ?? (practices.length === 1 ? practices[0] : undefined);
  if (!practice)
    throw new UsageError(
      practices.length === 0
        ? 'the site has no owner packs (no months in kpi_monthly)'
        : `several practices (${practices.join(', ')}): choose one with --practice`,
    );

  const urlPath = payer ? `/payers/${practice}/${payer}` : `/owner/${practice}/${month}`;
  if (!sitePageExists(dir, urlPath)) {
    const months = ownerPackPages(dir)
      .filter((p) => p.practice === practice)
      .map((p) => p.month)
      .sort();
    throw new UsageError(
      payer
        ? `no page for payer ${payer} of practice ${practice} in ${dir}`
        : `no owner pack for practice ${practice} in ${month}; months: ${months.join(', ') || 'none'}`,
    );
  }
  const out = path.resolve(
    parsed.data.out ??
      (payer
        ? `rcm-payer-${practice}-${payer}${month ? `-${month}` : ''}.pdf`
        : `rcm-pack-${practice}-${month}.pdf`),
  );
  const label = payer
    ? `Payer ${payer} · practice ${practice}${month ? ` · printed for ${month}` : ''}`
    : `Practice ${practice} · ${month}`;
  const { blocked } = await printPage({ siteDir: dir, urlPath, out, label });
  if (blocked.length > 0) {
    process.stderr.write(`rcm pack: the page asked for other hosts (refused): ${blocked.join(', ')}\n`);
    return EXIT.error;
  }
  process.stdout.write(`wrote ${out}\n`);
  return EXIT.ok;
}
