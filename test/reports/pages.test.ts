// The report pages built from a generated two-practice warehouse, checked in headless Chromium: every page
// renders without errors or failed requests and stays on 127.0.0.1, the owner pack's headline numbers and its
// comparison with last year and target equal the marts (queried here, formatted here), the vendor scorecard's
// lights, SLA and before-and-after means too, the claims behind a headline add up to it, a table downloads as CSV
// with every row, a claim page shows its facts' files, `rcm pack` prints PDFs whose text holds the headline
// numbers and the payer's totals, and no canary PHI value reaches the site or the PDFs.
// The same warehouse also holds public 835s under two practices of their own (and one file that cannot load),
// so the one build is also checked offline: strace sees it open no connection off this machine, no built asset
// would fetch from another host, the hand-checked totals reach the prerendered page and the shipped data, and
// the page renders and queries in the browser with every request to another host blocked and recorded.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../etl/generate/index.ts';
import { chromiumFlags, chromiumPath, offMachineRefused } from '../../etl/pipeline/pack.ts';
import { serveStatic } from '../../etl/pipeline/static-server.ts';
import { canaryHits } from '../helpers/canary-scan.ts';
import { runRcm } from '../helpers/run-rcm.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';
import {
  assetsFetchingOffMachine,
  buildReports,
  canStrace,
  eachConcurrently,
  offMachineConnects,
  repoRoot,
  walk,
} from './helpers.ts';

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2 });
/** An exact decimal (as DuckDB prints it) × 10^shift, rounded half up to `digits` places, as the pages show it. */
function roundDecimal(value: string, shift: number, digits: number): string {
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = value.replace('-', '').split('.');
  const scale = fraction.length;
  const units = BigInt(whole + fraction); // value × 10^scale
  const drop = scale - shift - digits; // places to remove
  const rounded =
    drop > 0 ? (units + 5n * 10n ** BigInt(drop - 1)) / 10n ** BigInt(drop) : units * 10n ** BigInt(-drop);
  const text = rounded.toString().padStart(digits + 1, '0');
  const out = digits > 0 ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text;
  return negative && rounded !== 0n ? `-${out}` : out;
}
const pct = (v: string) => `${roundDecimal(v, 2, 1)}%`;
const days = (v: string) => roundDecimal(v, 0, 1);

/** The scorecard's KPIs with a target, by the labels the pages show (reports/sources/warehouse/kpi_scorecard.sql). */
const scorecardLabels: Record<string, string> = {
  net_collection_rate_t90: 'Net collection rate (trailing 90 days)',
  days_in_ar: 'Days in A/R',
  ar_over_90_pct: 'A/R over 90 days',
  ar_over_120_pct: 'A/R over 120 days',
  initial_denial_rate: 'Initial denial rate (HFMA, claims)',
  first_pass_acceptance_rate: 'First-pass acceptance',
  days_in_ar_mgma: 'Days in A/R (MGMA)',
};
/** A scorecard value as the pages show it: days to one decimal, rates as percentages. */
const scorecardText = (kpi: string, value: string) =>
  kpi === 'days_in_ar' || kpi === 'days_in_ar_mgma' ? days(value) : pct(value);

/** An exact amount of cents as DuckDB prints a DECIMAL(…, 2): 4574.01. */
function decimalOfCents(cents: bigint): string {
  const abs = cents < 0n ? -cents : cents;
  return `${cents < 0n ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** CSV as an Evidence table's download writes it (export-to-csv): a BOM, CRLF lines, strings quoted, "" a quote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i += 1) {
    const ch = src[i];
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (src[i + 1] === '"') {
        field += '"';
        i += 1;
      } else quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

type Kpi = {
  practice_id: string;
  month_key: string;
  gross_charges: number;
  total_payments: number;
  ar_total: number;
  ar_over_90_pct: string | null;
  days_in_ar: string | null;
  net_collection_rate_t90: string | null;
  initial_denial_rate: string | null;
  first_pass_acceptance_rate: string | null;
  /** Sums of the month and the two before it, from kpi_monthly's monthly totals: the ratios' parts. */
  charges_t3: number;
  payments_t3: number;
  contractual_t3: number;
};

/** Per practice, figures of the per-practice pages computed here from the marts with SQL of their own. */
type PracticeFigures = {
  practice_id: string;
  denied_amount: number | null;
  denied_claims: number;
  rejections: number;
  worklist_balance: number | null;
  worklist_claims: number;
  em_visits: number | null;
  insured_visits: number | null;
  coding_denied_claims: number;
  /** Claims initially denied for a front-end reason ÷ claims initially denied, as an exact decimal. */
  front_end_share: string | null;
  front_end_denied_claims: number;
  /** Insured visits without eligibility verified before the visit, and without a required authorization. */
  eligibility_late_visits: number;
  authorization_missing_visits: number;
  eligibility_rate: string | null;
  exceptions: number;
  underpaid: number | null;
  variance_claims: number;
};

/**
 * The generator never has a payer recode a line, so the fixture makes one do it: the first E/M service line of
 * the practice's first 835 is remitted as another level, the billed code echoed in SVC06 as X12 has a payer do.
 * Element, component and segment separators are read from the ISA.
 */
function recodeOneLine(inboxDir: string, practiceId: string): void {
  const eraDir = path.join(inboxDir, practiceId, 'era');
  const name = readdirSync(eraDir)
    .filter((f) => f.endsWith('.835'))
    .sort()[0];
  if (!name) throw new Error(`no 835 for ${practiceId}`);
  const file = path.join(eraDir, name);
  const text = readFileSync(file, 'utf8');
  const [el, comp, term] = [text[3], text[104], text[105]] as [string, string, string];
  const segments = text.split(term);
  const at = segments.findIndex((seg) => seg.trimStart().startsWith(`SVC${el}HC${comp}992`));
  const seg = segments[at];
  if (seg === undefined) throw new Error(`no E/M service line in ${name}`);
  const lead = /^\s*/.exec(seg)?.[0] ?? '';
  const parts = seg.slice(lead.length).split(el);
  const [qualifier, code, ...modifiers] = (parts[1] ?? '').split(comp);
  parts[1] = [qualifier, code === '99213' ? '99212' : '99213', ...modifiers].join(comp);
  for (let i = 2; i < 6; i += 1) parts[i] ??= '';
  parts[6] = `HC${comp}${code}`;
  segments[at] = lead + parts.join(el);
  writeFileSync(file, segments.join(term));
}

// Hand-checked from the files (test/fixtures/public-inbox/README.md): PUB1 gets managed-care.835 (BPR02 945.00)
// and secondary-payment.835 (1222.00) = 2167.00; PUB2 gets profee.835 (45.75); together 2212.75. The practice
// ids are not the generator's (P001, P002, …), so these files only add to the index's totals.
const publicEra = path.join(repoRoot, 'test/fixtures/public-inbox/inbox/P001/era');
const publicFiles: Record<string, string[]> = {
  PUB1: ['managed-care.835', 'secondary-payment.835'],
  PUB2: ['profee.835'],
};
const PUBLIC_CENTS = 221_275n;

/** Σ BPR02 (the amount a remittance pays) of the 835s under `dir`, in cents; separators are read from the ISA. */
function bprCents(dir: string): bigint {
  let cents = 0n;
  for (const file of walk(dir).filter((f) => f.endsWith('.835'))) {
    const text = readFileSync(file, 'utf8');
    const [el, term] = [text[3], text[105]] as [string, string];
    for (const seg of text.split(term)) {
      const parts = seg.trim().split(el);
      if (parts[0] !== 'BPR') continue;
      const [whole = '0', fraction = ''] = (parts[2] ?? '').split('.');
      if (fraction.length > 2) throw new Error(`${file}: BPR02 ${parts[2]} has more than cents`);
      cents += BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
    }
  }
  return cents;
}

/** Cents as the pages show dollars: $16,316.21. */
function dollars(cents: bigint): string {
  const whole = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `$${whole}.${(cents % 100n).toString().padStart(2, '0')}`;
}

/** Pages open at once in the browser: a visit mostly waits on Evidence's data files in turn. */
const PAGES_AT_ONCE = 4;

/** Per-practice report pages (besides the owner pack, vendor scorecard and payers). */
const practicePages = ['denials', 'ar', 'coding', 'front-end', 'reconciliation', 'underpayments'];

const hasChromium = existsSync(chromiumPath);
if (!hasChromium) console.warn(`[reports] SKIPPING page checks: ${chromiumPath} is missing`);

describe.runIf(hasChromium)('report pages from a generated two-practice warehouse', () => {
  const wh = tempWarehouse('pages');
  const inbox = path.join(wh.dir, 'inbox');
  const site = path.join(wh.dir, 'site');
  const pdfDir = path.join(wh.dir, 'pdf');
  let manifest: Manifest;
  let kpis: Kpi[] = [];
  let figures: PracticeFigures[] = [];
  let payerFigures: {
    practice_id: string;
    payer_id: string;
    initial_denial_rate: string | null;
    underpaid: number;
    paid_claims: number;
    paid_within_14_days: number;
    /** The headline at the top of the payer page, over every month, from the claim lines. */
    claims: number;
    charges: number;
    allowed: number;
    paid: number;
  }[] = [];
  let arOver90: Map<string, number>;
  let denialPayer:
    | { practice_id: string; payer_id: string; denied_amount: number; denials: number }
    | undefined;
  let ownerPayer: { practice_id: string; month_key: string; payer_id: string; balance: number } | undefined;
  let ownerDenials: { practice_id: string; month_key: string; claims: number[] } | undefined;
  /** Per practice with a billing-vendor change: the vendor, its date, and kpi_monthly's means before and after. */
  let vendorMeans: {
    practice_id: string;
    billing_vendor: string;
    since: string;
    ncr_before: string | null;
    ncr_after: string | null;
    days_before: string | null;
    days_after: string | null;
    months_before: number;
    months_after: number;
  }[] = [];
  /** Per practice, each KPI with a target at the latest month: value, target, "poor" value and the light. */
  let vendorLights: {
    practice_id: string;
    kpi_name: string;
    value: string;
    target_value: string;
    poor_value: string | null;
    direction: 'at_least' | 'at_most';
    light: string;
  }[] = [];
  /** Per practice and month of rejection: rejections, those worked, those worked within the SLA's business days. */
  let slaMonths: {
    practice_id: string;
    month_key: string;
    rejections: number;
    worked: number;
    within_sla: number;
    sla_share: string | null;
    sla_days: number;
  }[] = [];
  /** One owner pack's comparison: per KPI, kpi_monthly twelve months earlier and the practice's target. */
  let ownerComparison: {
    practice_id: string;
    month_key: string;
    has_last_year: boolean;
    kpi_name: string;
    last_year_value: string | null;
    target_value: string | null;
  }[] = [];
  /** Per practice, the MCR page's claims and allowed and paid totals (its printed figures). */
  let mcrTotals = new Map<string, { claims: number; allowed: number | null; paid: number | null }>();
  /** The practice with the longest follow-up worklist: its claims and their balance (exact). */
  let worklistCsv: { practice_id: string; claims: number; balance: string } | undefined;
  /** Per practice, the claims of its coding audit candidates and its recodes, in the pages' order. */
  let auditClaims: { practice_id: string; claims: string[] }[] = [];
  let recodeClaims: { practice_id: string; claims: string[] }[] = [];
  let sampleClaim: { practice_id: string; claim_id: string; file_name: string; position: number };
  let built = { status: null as number | null, output: '' };
  /** Σ BPR02 of every 835 loaded (the generated ones and the public ones): the index's total paid. */
  let totalPaidCents = 0n;
  let connectLog: string | undefined;
  const cacheDir = path.join(wh.dir, 'compile-cache');
  let server: Awaited<ReturnType<typeof serveStatic>> | undefined;
  let browser: Browser | undefined;
  /** Browser contexts: one per page open at once, each with its own cache, reused from visit to visit. */
  const contexts: BrowserContext[] = [];
  const idleContexts: BrowserContext[] = [];

  beforeAll(async () => {
    const generated = runRcm([
      'generate',
      '--out',
      inbox,
      '--practices',
      '2',
      '--providers',
      '1',
      '--months',
      '3',
      '--visits',
      '1',
    ]);
    expect(generated.code, generated.stderr).toBe(0);
    manifest = JSON.parse(readFileSync(path.join(inbox, 'manifest.json'), 'utf8'));
    const first = manifest.practices[0]?.practice_id as string;
    recodeOneLine(inbox, first);
    const generatedFiles = walk(inbox).filter((f) => path.basename(f) !== 'manifest.json').length;
    totalPaidCents = bprCents(inbox) + PUBLIC_CENTS;
    for (const [practice, files] of Object.entries(publicFiles)) {
      expect(manifest.practices.map((p) => p.practice_id)).not.toContain(practice);
      mkdirSync(path.join(inbox, practice, 'era'), { recursive: true });
      for (const file of files)
        copyFileSync(path.join(publicEra, file), path.join(inbox, practice, 'era', file));
    }
    // One file that cannot load: the index must list it, quarantined, and count none of it.
    writeFileSync(
      path.join(inbox, 'PUB2', 'era', 'truncated.835'),
      'ISA*00*          *00*          *ZZ*SENDER',
    );
    const load = runRcm(['load', inbox, '--warehouse', wh.database]);
    expect(load.code, load.stdout + load.stderr).toBe(3); // 3: a file was quarantined
    // Every generated file and public 835 loads; the truncated one alone is quarantined.
    expect(load.stdout).toContain(`loaded ${generatedFiles + 3}, already loaded 0, quarantined 1`);
    // The first practice audits modifier 25 from a tenth of a provider's E/M lines (the default is 30 %, which
    // this small fixture does not reach), so the coding page lists audit candidates.
    // Each practice's billing vendor changes on the day the generator planted the change (the manifest's
    // vendor_change), so the vendor scorecard has months before and after it.
    const vendorChanges = manifest.anomalies.filter((a) => a.type === 'vendor_change');
    expect(vendorChanges.length).toBeGreaterThan(0);
    const config = path.join(wh.dir, 'rcm.config.yaml');
    const practiceSettings = manifest.practices.map((p) => {
      const change = vendorChanges.find((a) => a.practice_id === p.practice_id);
      return [
        `  - id: ${p.practice_id}\n    name: Practice ${p.practice_id}\n`,
        p.practice_id === first ? '    kpi_targets:\n      modifier_25_share: { target: 0.1 }\n' : '',
        change
          ? `    billing_vendor_changes:\n      - { date: '${change.change_date}', vendor: '${change.vendor_after}' }\n`
          : '',
      ].join('');
    });
    writeFileSync(config, `practices:\n${practiceSettings.join('')}`);
    const dbt = runRcm(['transform', '--warehouse', wh.database, '--config', config]);
    expect(dbt.code, dbt.stdout + dbt.stderr).toBe(0);

    const db = await DuckDBInstance.create(wh.database, { access_mode: 'READ_ONLY' });
    const conn = await db.connect();
    try {
      const rows = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS();
      kpis = (await rows(`
        select practice_id, strftime(month, '%Y-%m') as month_key,
               gross_charges::double as gross_charges,
               (payer_payments + patient_payments)::double as total_payments,
               ar_total::double as ar_total, ar_over_90_pct::varchar as ar_over_90_pct,
               days_in_ar::varchar as days_in_ar, net_collection_rate_t90::varchar as net_collection_rate_t90,
               initial_denial_rate::varchar as initial_denial_rate,
               first_pass_acceptance_rate::varchar as first_pass_acceptance_rate,
               sum(gross_charges) over w3::double as charges_t3,
               sum(payer_payments + patient_payments) over w3::double as payments_t3,
               sum(contractual_adjustments) over w3::double as contractual_t3
        from marts.kpi_monthly
        window w3 as (partition by practice_id order by month rows between 2 preceding and current row)
        order by 1, 2`)) as Kpi[];
      // Each figure from its mart directly (not from the report sources the pages read).
      figures = (await rows(`
        with p as (select distinct practice_id from marts.kpi_monthly)
        select
            p.practice_id,
            (select sum(denied_amount) from marts.denials d where d.practice_id = p.practice_id)::double
                as denied_amount,
            (select count(distinct claim_id) from marts.denials d where d.practice_id = p.practice_id)::integer
                as denied_claims,
            (select count(*) from marts.rejections r where r.practice_id = p.practice_id)::integer as rejections,
            (select sum(balance) from marts.worklist_ar w where w.practice_id = p.practice_id)::double
                as worklist_balance,
            (select count(*) from marts.worklist_ar w where w.practice_id = p.practice_id)::integer
                as worklist_claims,
            (select sum(visits) from marts.em_distribution e where e.practice_id = p.practice_id)::integer
                as em_visits,
            (select sum(insured_visits) from marts.front_end_monthly f where f.practice_id = p.practice_id)::integer
                as insured_visits,
            (select count(distinct claim_id) from marts.denials d
                where d.practice_id = p.practice_id and d.is_initial_denial and d.is_coding_related)::integer
                as coding_denied_claims,
            (select (count(distinct claim_id) filter (where is_front_end))::decimal(18, 0)
                    / nullif(count(distinct claim_id), 0)
                from marts.denials d where d.practice_id = p.practice_id and d.is_initial_denial)::varchar
                as front_end_share,
            (select count(distinct claim_id) from marts.denials d
                where d.practice_id = p.practice_id and d.is_initial_denial and d.is_front_end)::integer
                as front_end_denied_claims,
            (select sum(insured_visits - eligibility_verified_before_dos) from marts.front_end_monthly f
                where f.practice_id = p.practice_id)::integer as eligibility_late_visits,
            (select sum(authorization_required_visits - authorization_obtained_visits) from marts.front_end_monthly f
                where f.practice_id = p.practice_id)::integer as authorization_missing_visits,
            (select sum(eligibility_verified_before_dos)::decimal(18, 0) / nullif(sum(insured_visits), 0)
                from marts.front_end_monthly f where f.practice_id = p.practice_id)::varchar as eligibility_rate,
            (select count(*) from marts.reconciliation_items i where i.practice_id = p.practice_id and i.is_exception)::integer
                as exceptions,
            (select sum(underpaid_amount) from marts.underpayment_claims u where u.practice_id = p.practice_id)::double
                as underpaid,
            (select count(*) from marts.underpayment_claims u where u.practice_id = p.practice_id)::integer
                as variance_claims
        from p order by 1`)) as PracticeFigures[];
      // Per practice, the payer with the most underpaid dollars: its page's twelve-month initial denial rate
      // (the scorecard's latest month) and its underpaid total.
      payerFigures = (await rows(`
        with under as (
            select practice_id, payer_id, sum(underpaid_amount) as underpaid
            from marts.underpayment_claims group by all
        ),
        top as (
            select practice_id, arg_max(payer_id, underpaid) as payer_id, max(underpaid) as underpaid
            from under where underpaid > 0 group by all
        ),
        latest as (select practice_id, max(month) as month from marts.payer_scorecard group by all)
        select top.practice_id, top.payer_id, top.underpaid::double as underpaid,
            s.initial_denial_rate::varchar as initial_denial_rate,
            (select count(*)::integer from marts.claims as c
                where c.practice_id = top.practice_id and c.payer_id = top.payer_id
                and c.first_payer_payment_date is not null) as paid_claims,
            (select count(*)::integer from marts.claims as c
                where c.practice_id = top.practice_id and c.payer_id = top.payer_id
                and c.first_payer_payment_date - c.first_submitted_date between 0 and 14) as paid_within_14_days,
            l.claims, l.charges, l.allowed, l.paid
        from top
        inner join (
            select practice_id, payer_id, count(distinct claim_id)::integer as claims,
                sum(charge_amount)::double as charges, sum(era_allowed_amount)::double as allowed,
                sum(era_paid_amount)::double as paid
            from marts.claim_lines where not is_self_pay group by all
        ) as l using (practice_id, payer_id)
        inner join latest using (practice_id)
        left join marts.payer_scorecard as s
            on s.practice_id = top.practice_id and s.payer_id = top.payer_id and s.month = latest.month
            and s.period = 'trailing_12_months'
        order by 1`)) as typeof payerFigures;
      // One payer of a practice whose denials come from more than one payer: the denials page filtered to it.
      denialPayer = (
        await rows(`
        select practice_id, payer_id, sum(denied_amount)::double as denied_amount, count(*)::integer as denials
        from marts.denials
        where practice_id in (select practice_id from marts.denials group by 1 having count(distinct payer_id) > 1)
        group by all
        order by practice_id, payer_id
        limit 1`)
      )[0] as typeof denialPayer;
      // A practice × month whose month-end A/R sits on claims of two payers or more: the owner pack filtered to
      // the first payer shows that payer's claims' balances (the payer's and its patients').
      ownerPayer = (
        await rows(`
        with a as (
            select practice_id, strftime(snapshot_month, '%Y-%m') as month_key,
                coalesce(current_payer_id, '(none)') as payer_id, sum(balance) as balance
            from marts.ar_snapshots where is_month_end group by all
        )
        select a.practice_id, a.month_key, a.payer_id, a.balance::double as balance
        from a
        where (a.practice_id, a.month_key) in (select (practice_id, month_key) from a group by all having count(*) > 1)
            and (a.practice_id, a.month_key) in
                (select (practice_id, strftime(month, '%Y-%m')) from marts.kpi_monthly)
        order by a.practice_id, a.month_key, a.payer_id
        limit 1`)
      )[0] as typeof ownerPayer;
      // The owner pack's month with the most denial categories: each category's claims, counted once however
      // many of the category's reasons (CARCs) a claim carries, in the table's order.
      ownerDenials = (
        await rows(`
        with d as (
            select practice_id, strftime(denial_month, '%Y-%m') as month_key, denial_category,
                count(distinct claim_id) as claims, sum(denied_amount) as amount
            from marts.denials group by all
        ),
        pm as (
            select practice_id, month_key from d
            where (practice_id, month_key) in (select (practice_id, strftime(month, '%Y-%m')) from marts.kpi_monthly)
            group by all order by count(*) desc, practice_id, month_key limit 1
        )
        select d.practice_id, d.month_key, list(d.claims::integer order by d.amount desc, d.denial_category) as claims
        from d inner join pm using (practice_id, month_key) group by all`)
      )[0] as typeof ownerDenials;
      // The vendor scorecard's means before and after the change (its default period: every month).
      vendorMeans = (await rows(`
        with v as (
            select practice_id, billing_vendor, strftime(billing_vendor_since, '%Y-%m-%d') as since,
                strftime(billing_vendor_since, '%Y-%m') as since_month
            from marts.practice_billing_vendors
        ),
        k as (
            select practice_id, strftime(month, '%Y-%m') as month_key, net_collection_rate_t90, days_in_ar
            from marts.kpi_monthly
        )
        select v.practice_id, v.billing_vendor, v.since,
            printf('%.12f', avg(k.net_collection_rate_t90::double) filter (where k.month_key < v.since_month))
                as ncr_before,
            printf('%.12f', avg(k.net_collection_rate_t90::double) filter (where k.month_key >= v.since_month))
                as ncr_after,
            printf('%.12f', avg(k.days_in_ar::double) filter (where k.month_key < v.since_month)) as days_before,
            printf('%.12f', avg(k.days_in_ar::double) filter (where k.month_key >= v.since_month)) as days_after,
            (count(*) filter (where k.month_key < v.since_month))::integer as months_before,
            (count(*) filter (where k.month_key >= v.since_month))::integer as months_after
        from v inner join k using (practice_id)
        group by all
        order by 1`)) as typeof vendorMeans;
      // The scorecard's lights at the latest month, from kpi_monthly and practice_kpi_targets: GREEN = target met,
      // RED = beyond the "poor" value, AMBER = in between.
      vendorLights = (await rows(`
        with latest as (
            select practice_id, max(month) as month from marts.kpi_monthly group by all
        ),
        vals as (
            unpivot (
                select k.practice_id,
                    k.net_collection_rate_t90::varchar as net_collection_rate_t90,
                    k.days_in_ar::varchar as days_in_ar,
                    k.ar_over_90_pct::varchar as ar_over_90_pct,
                    k.ar_over_120_pct::varchar as ar_over_120_pct,
                    k.initial_denial_rate::varchar as initial_denial_rate,
                    k.first_pass_acceptance_rate::varchar as first_pass_acceptance_rate,
                    k.days_in_ar_mgma::varchar as days_in_ar_mgma
                from marts.kpi_monthly as k inner join latest using (practice_id, month)
            ) on columns(* exclude (practice_id)) into name kpi_name value value
        )
        select v.practice_id, v.kpi_name, v.value, t.target_value::varchar as target_value,
            t.poor_value::varchar as poor_value, t.direction,
            case
                when (t.direction = 'at_least' and v.value::decimal(18, 6) >= t.target_value)
                    or (t.direction = 'at_most' and v.value::decimal(18, 6) <= t.target_value) then 'GREEN'
                when (t.direction = 'at_least' and v.value::decimal(18, 6) < t.poor_value)
                    or (t.direction = 'at_most' and v.value::decimal(18, 6) > t.poor_value) then 'RED'
                else 'AMBER'
            end as light
        from vals as v
        inner join marts.practice_kpi_targets as t using (practice_id, kpi_name)
        where t.target_value is not null
        order by 1, 2`)) as typeof vendorLights;
      // Rejections worked within the practice's SLA (rejection_work_business_days), per month of the scorecard's
      // default period (the 13 months to the latest month).
      slaMonths = (await rows(`
        with latest as (
            select practice_id, strftime(max(month) - interval 12 month, '%Y-%m') as trend_from
            from marts.kpi_monthly group by all
        )
        select r.practice_id, strftime(r.rejection_month, '%Y-%m') as month_key, count(*)::integer as rejections,
            count(r.worked_date)::integer as worked,
            (count(*) filter (where r.worked_date is not null and r.business_days_to_work <= t.target_value))::integer
                as within_sla,
            printf('%.12f', (count(*) filter (where r.worked_date is not null
                and r.business_days_to_work <= t.target_value)) / nullif(count(r.worked_date), 0)) as sla_share,
            t.target_value::double as sla_days
        from marts.rejections as r
        inner join latest using (practice_id)
        inner join marts.practice_kpi_targets as t
            on t.practice_id = r.practice_id and t.kpi_name = 'rejection_work_business_days'
        where strftime(r.rejection_month, '%Y-%m') >= latest.trend_from
        group by all
        order by 1, 2`)) as typeof slaMonths;
      // An owner pack whose month has a month twelve months before it, else (a short fixture) the latest month
      // with charges: per KPI with a value, kpi_monthly twelve months earlier and the practice's target.
      ownerComparison = (await rows(`
        with long as (
            unpivot (
                select practice_id, month,
                    net_collection_rate_t90::varchar as net_collection_rate_t90,
                    days_in_ar::varchar as days_in_ar,
                    ar_over_90_pct::varchar as ar_over_90_pct,
                    ar_over_120_pct::varchar as ar_over_120_pct,
                    initial_denial_rate::varchar as initial_denial_rate,
                    first_pass_acceptance_rate::varchar as first_pass_acceptance_rate,
                    days_in_ar_mgma::varchar as days_in_ar_mgma
                from marts.kpi_monthly
            ) on columns(* exclude (practice_id, month)) into name kpi_name value value
        ),
        pick as (
            select k.practice_id, k.month, y.month is not null as has_last_year
            from marts.kpi_monthly as k
            left join marts.kpi_monthly as y
                on y.practice_id = k.practice_id and y.month = (k.month - interval 12 month)::date
            order by has_last_year desc, k.gross_charges > 0 desc, k.month desc, k.practice_id
            limit 1
        )
        select p.practice_id, strftime(p.month, '%Y-%m') as month_key, p.has_last_year, cur.kpi_name,
            ly.value as last_year_value, t.target_value::varchar as target_value
        from pick as p
        inner join long as cur on cur.practice_id = p.practice_id and cur.month = p.month
        left join long as ly
            on ly.practice_id = p.practice_id and ly.kpi_name = cur.kpi_name
            and ly.month = (p.month - interval 12 month)::date
        left join marts.practice_kpi_targets as t on t.practice_id = p.practice_id and t.kpi_name = cur.kpi_name
        order by cur.kpi_name`)) as typeof ownerComparison;
      // The payer page rcm pack prints (MCR): its claims and what the 835s allowed and paid, every month.
      mcrTotals = new Map(
        (
          await rows(`
          select practice_id, count(distinct claim_id)::integer as claims,
              sum(era_allowed_amount)::double as allowed, sum(era_paid_amount)::double as paid
          from marts.claim_lines where payer_id = 'MCR' and not is_self_pay group by all`)
        ).map((r) => [
          String(r.practice_id),
          { claims: Number(r.claims), allowed: r.allowed as number | null, paid: r.paid as number | null },
        ]),
      );
      worklistCsv = (
        await rows(`
        select practice_id, count(*)::integer as claims, sum(balance)::varchar as balance
        from marts.worklist_ar group by all order by claims desc, practice_id limit 1`)
      )[0] as typeof worklistCsv;
      const claimLists = async (sql: string) =>
        (await rows(sql)).map((r) => ({
          practice_id: String(r.practice_id),
          claims: (r.claims as string[]).map(String),
        }));
      auditClaims = await claimLists(`
        select practice_id,
            list(claim_id order by reason, provider_id, month desc, claim_id, line_number) as claims
        from marts.coding_audit_candidates group by all order by 1`);
      recodeClaims = await claimLists(`
        select practice_id, list(claim_id order by payment_date desc, claim_id, line_number) as claims
        from marts.recodes group by all order by 1`);
      // The claims-level A/R over 90 days, summed here from the snapshots the drill-down lists.
      arOver90 = new Map(
        (
          await rows(`
          select practice_id || '/' || strftime(snapshot_month, '%Y-%m') as k, sum(balance)::double as v
          from marts.ar_snapshots where is_month_end and aging_bucket in ('91-120', '>120') group by 1`)
        ).map((r) => [String(r.k), Number(r.v)]),
      );
      sampleClaim = (
        await rows(`
        select practice_id, claim_id, file_name, position::integer as position
        from marts.claim_fact_origins where fact = '835 claim payment' order by practice_id, claim_id limit 1`)
      )[0] as typeof sampleClaim;
    } finally {
      conn.disconnectSync();
      db.closeSync();
    }
    // Where strace works, the build is traced: it must not open a single connection off this machine.
    connectLog = canStrace() ? path.join(wh.dir, 'connect.strace') : undefined;
    if (!connectLog) console.warn('[reports] strace unavailable: the build runs untraced');
    // A private compile cache: this build compiles (a miss); "reuses the compiled bundles" below hits it.
    built = buildReports(wh.database, site, connectLog, { RCM_REPORTS_CACHE: cacheDir });
    if (built.status === 0) {
      server = await serveStatic(site, 0);
      browser = await chromium.launch({
        executablePath: chromiumPath,
        args: [...chromiumFlags, ...offMachineRefused],
      });
    }
  }, 1_500_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    if (server) await new Promise((done) => server?.server.close(done));
    wh.remove();
  });

  /**
   * Opens a page and returns what went wrong on it. Visits reuse browser contexts, so the engine and code files
   * Evidence loads on each page come from the cache as in a user's browser; pages open at once get a context
   * each (two pages of one context fetching the same engine file at once fail on its cache entry). The browser
   * resolves no name but 127.0.0.1 (--host-resolver-rules), so a request off this machine fails; each is
   * reported. (No request interception: Playwright turns the cache off for intercepted requests.)
   */
  async function visit(urlPath: string, check?: (page: import('playwright-core').Page) => Promise<void>) {
    if (!browser || !server) throw new Error('site not built');
    let context = idleContexts.pop();
    if (!context) {
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      contexts.push(context);
    }
    const problems: string[] = [];
    const page = await context.newPage();
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.hostname !== '127.0.0.1' && url.protocol !== 'data:' && url.protocol !== 'blob:')
        problems.push(`off-machine request ${url.href}`);
    });
    page.on('pageerror', (e) => problems.push(`page error ${e}`));
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    const answered = new Set<string>();
    page.on('requestfailed', (r) => {
      // Evidence stops reading a prerendered query's Arrow file once it has what it needs: the server answered
      // 200 and the browser then dropped the rest (ERR_ABORTED). Anything else is a failure.
      if (r.failure()?.errorText === 'net::ERR_ABORTED' && answered.has(r.url())) return;
      problems.push(`failed ${r.url()} ${r.failure()?.errorText}`);
    });
    // No 404 is tolerated: an empty mart has its (empty) Parquet file and every page its query list.
    page.on('response', (r) => {
      if (r.status() < 400) answered.add(r.url());
      else problems.push(`HTTP ${r.status()} ${r.url()}`);
    });
    try {
      await page.goto(new URL(urlPath.replace(/^\//, ''), server.url).href, { waitUntil: 'load' });
      await page.waitForLoadState('networkidle', { timeout: 60_000 }).catch(() => undefined);
      // Evidence marks a component whose query or props failed with an inline error.
      const componentErrors = await page.getByText(/^Error in |Dataset is empty/).count();
      if (componentErrors > 0) problems.push(`${componentErrors} component error(s)`);
      // ... and draws it in its error box: ErrorChart, BigValueError, ValueError and InlineError alone carry this
      // border (a bad delta chip is tinted the same, so the tint would not do).
      const errorBoxes = await page.locator('[class*="border-negative/50"]').allTextContents();
      if (errorBoxes.length > 0)
        problems.push(
          `component(s) in their error box: ${errorBoxes.map((t) => t.trim().slice(0, 120)).join(' | ')}`,
        );
      await check?.(page);
      for (const text of consoleErrors) problems.push(`console error ${text}`);
    } finally {
      await page.close();
      idleContexts.push(context);
    }
    return problems;
  }

  /**
   * How long a check waits for a page to show what a filter picked: the browser then runs the page's queries again in
   * duckdb-wasm, which beside the rest of the suite on two cores once took more than 30 s.
   */
  const FILTERED_MS = 90_000;

  /** Picks `value` in the page's Evidence Dropdown titled `title`. */
  async function pick(page: import('playwright-core').Page, title: string, value: string) {
    // A click before the page has hydrated opens nothing: click until the option search shows.
    const search = page.getByPlaceholder(title, { exact: true });
    for (let i = 0; i < 10 && !(await search.isVisible()); i += 1) {
      await page.getByRole('combobox', { name: title, exact: true }).click();
      await search.waitFor({ state: 'visible', timeout: 3_000 }).catch(() => undefined);
    }
    // The option list is virtual (only the first few are in the page): search narrows it to the value.
    await search.fill(value);
    await page.locator(`[data-cmdk-item][data-value="${value}"]`).click();
  }

  /** The cell texts of one column (1-based) of the first table whose text holds `header`, total row included. */
  async function columnOf(page: import('playwright-core').Page, header: string, column: number) {
    const table = page.locator('table').filter({ hasText: header }).first();
    return (await table.locator(`tr > td:nth-child(${column})`).allInnerTexts()).map((x) => x.trim());
  }

  /**
   * The rows (cell texts) of the visible DataTable titled exactly `title`, each once (a table keeps an invisible
   * copy of its rows for measuring).
   */
  async function tableRows(page: import('playwright-core').Page, title: string): Promise<string[][]> {
    const container = page
      .locator('.table-container')
      .filter({ has: page.getByText(title, { exact: true }) })
      .filter({ visible: true })
      .first();
    const rows = await container
      .locator('tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())),
      );
    const seen = new Set<string>();
    return rows.filter((cells) => {
      const key = JSON.stringify(cells);
      if (cells.length === 0 || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /** The PDF's page count and text; the text is also written beside it, so the canary scan reads it decoded. */
  async function pdfText(file: string): Promise<{ pages: number; text: string }> {
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const pdf = await getDocument({ data: new Uint8Array(readFileSync(file)) }).promise;
    let text = '';
    for (let i = 1; i <= pdf.numPages; i += 1) {
      const content = await (await pdf.getPage(i)).getTextContent();
      text += `${content.items.map((item) => ('str' in item ? item.str : '')).join(' ')}\n`;
    }
    writeFileSync(`${file}.txt`, text);
    return { pages: pdf.numPages, text };
  }

  it('builds the site', () => {
    expect(built.status, built.output.slice(-6000)).toBe(0);
    expect(existsSync(path.join(site, 'index.html'))).toBe(true);
    // An empty cache: Evidence's own build compiles, and its bundles are kept for the next build.
    expect(built.output).toMatch(/compile cache: miss \([0-9a-f]{64}\)/);
    expect(built.output).toContain('[reports] evidence build:strict');
  });

  it('opens no network connection off this machine while building', (ctx) => {
    if (!connectLog) return ctx.skip('strace is not available here');
    const off = offMachineConnects(readFileSync(connectLog, 'utf8'));
    expect(off, off.join('\n')).toEqual([]);
  });

  it('has no built asset that would fetch from another host', () => {
    const offenders = assetsFetchingOffMachine(site);
    expect(offenders, offenders.join('\n')).toEqual([]);
  });

  it('puts the total paid into the prerendered index', () => {
    const html = readFileSync(path.join(site, 'index.html'), 'utf8');
    expect(html).toContain('Total paid');
    expect(html).toContain(dollars(totalPaidCents));
    expect(html).toContain('Data quality');
    expect(html).toContain('Quarantined files');
  });

  it('ships the remittance mart as data, exactly as the warehouse holds it', async () => {
    const data = JSON.parse(readFileSync(path.join(site, 'data/manifest.json'), 'utf8')) as {
      renderedFiles: Record<string, string[]>;
    };
    const files = data.renderedFiles.warehouse ?? [];
    const url = files.find((f) => /remittance_summary\.parquet$/.test(f)) ?? '';
    expect(url).not.toBe('');
    const parquet = path.join(site, url.replace(/^\/?static\//, ''));
    expect(existsSync(parquet), parquet).toBe(true);

    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const reader = await conn.runAndReadAll(
        `select practice_id, total_paid from read_parquet('${parquet.replaceAll("'", "''")}')
         where practice_id in ('PUB1', 'PUB2') order by practice_id`,
      );
      expect(reader.getRowObjectsJS()).toEqual([
        { practice_id: 'PUB1', total_paid: 2167 },
        { practice_id: 'PUB2', total_paid: 45.75 },
      ]);
    } finally {
      conn.disconnectSync();
      db.closeSync();
    }
  });

  it('renders the index and queries in the browser with every request to another host blocked', async () => {
    if (!browser || !server) throw new Error('site not built');
    // Requests are intercepted here (unlike visit()): one to another host is recorded and never sent.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const external: string[] = [];
    const pageErrors: string[] = [];
    const consoleErrors: string[] = [];
    const isLocal = (u: string) => {
      const url = new URL(u);
      return url.protocol === 'data:' || url.protocol === 'blob:' || url.hostname === '127.0.0.1';
    };
    try {
      await context.route('**/*', (route) => {
        const u = route.request().url();
        if (isLocal(u)) return route.continue();
        external.push(u);
        return route.abort('blockedbyclient');
      });
      context.on('request', (req) => {
        if (!isLocal(req.url()) && !external.includes(req.url())) external.push(req.url());
      });
      const page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(String(e)));
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });

      await page.goto(server.url, { waitUntil: 'load', timeout: 120_000 });
      // (The data table keeps an invisible copy of its rows for measuring: look at visible ones only.)
      await page
        .getByText(dollars(totalPaidCents))
        .filter({ visible: true })
        .first()
        .waitFor({ timeout: 120_000 });
      for (const [practice, paid] of [
        ['PUB1', '$2,167.00'],
        ['PUB2', '$45.75'],
      ] as const) {
        const row = page.getByRole('row').filter({ hasText: practice, visible: true }).first();
        await row.waitFor({ timeout: 120_000 });
        expect(await row.textContent()).toContain(paid);
      }
      // The quarantined file is listed with where it broke.
      const quarantinedRow = page
        .getByRole('row')
        .filter({ hasText: 'truncated.835', visible: true })
        .first();
      await quarantinedRow.waitFor({ timeout: 120_000 });
      expect(await quarantinedRow.textContent()).toContain('segment 1 (byte 0)');

      // The page's query engine (duckdb-wasm) must answer from the shipped data, in the browser.
      // Through the pages' query path: it loads the table the query names, as a page's own query would.
      const answer = await page.evaluate(async () => {
        type Query = (sql: string) => Promise<Record<string, unknown>[]>;
        const g = globalThis as unknown as Record<symbol, Query | undefined>;
        const deadline = Date.now() + 90_000;
        let last = '';
        while (Date.now() < deadline) {
          const query = g[Symbol.for('RCM_REPORT_QUERY')];
          if (query) {
            try {
              const rows = await query(
                "select sum(total_paid)::DECIMAL(18,2)::VARCHAR as total from warehouse.remittance_summary where practice_id = 'PUB1'",
              );
              return { total: String(rows[0]?.total) };
            } catch (e) {
              last = String(e);
            }
          }
          await new Promise((ok) => setTimeout(ok, 250));
        }
        return { error: last || 'the query function never appeared' };
      });
      expect(answer).toEqual({ total: '2167.00' });

      // Let anything lazy (charts, fonts, workers) settle before judging the network.
      await page.waitForLoadState('networkidle', { timeout: 60_000 }).catch(() => undefined);
      await page.screenshot({ path: '/tmp/rcm-reports-index.png', fullPage: true });

      expect(external, `requests to other hosts: ${external.join(', ')}`).toEqual([]);
      expect(pageErrors, pageErrors.join('\n')).toEqual([]);
      const engineErrors = consoleErrors.filter((m) => /parquet|extension|duckdb|Timeout/i.test(m));
      expect(engineErrors, engineErrors.join('\n')).toEqual([]);
    } finally {
      await context.close();
    }
  }, 300_000);

  it('renders every page without errors, failed requests or requests off this machine', async () => {
    const pages = walk(site)
      .filter((f) => f.endsWith('.html'))
      .map(
        (f) =>
          `/${path
            .relative(site, f)
            .replace(/(^|\/)index\.html$/, '')
            .replace(/\.html$/, '')}`,
      )
      .filter((p) => !p.startsWith('/explore') && !p.startsWith('/settings'));
    expect(pages).toEqual(
      expect.arrayContaining(['/', '/owner', '/vendor', '/payers', '/claim', '/practices']),
    );
    const owner = pages.filter((p) => /^\/owner\/[^/]+\/\d{4}-\d{2}$/.test(p));
    // Every practice × month of kpi_monthly has its pack; one page (/claims) serves the claims behind them all.
    const expected = kpis.map((k) => `/owner/${k.practice_id}/${k.month_key}`).sort();
    expect(owner.sort()).toEqual(expected);
    expect(pages).toContain('/claims');
    expect(pages.filter((p) => p.startsWith('/owner/') && p.endsWith('/claims'))).toEqual([]);
    expect(pages.filter((p) => p.startsWith('/payers/')).length).toBeGreaterThanOrEqual(4);
    expect(pages.filter((p) => p.startsWith('/vendor/')).sort()).toEqual(
      manifest.practices.map((p) => `/vendor/${p.practice_id}`).sort(),
    );
    // Every per-practice report exists for every practice (reached from /practices).
    for (const kind of practicePages)
      expect(pages.filter((p) => p.startsWith(`/${kind}/`)).sort()).toEqual(
        manifest.practices.map((p) => `/${kind}/${p.practice_id}`).sort(),
      );

    const problems: string[] = [];
    await eachConcurrently(pages, PAGES_AT_ONCE, async (p) => {
      const found = await visit(p, async (page) => {
        if (p.startsWith('/owner/')) {
          const month = p.split('/')[3] ?? '';
          const hasCharges = kpis.some(
            (k) => `/owner/${k.practice_id}/${k.month_key}` === p && k.gross_charges > 0,
          );
          // Charts render as SVG once drawn; tables render rows.
          const charts = page.locator('.chart svg, [class*="chart"] svg');
          const deadline = Date.now() + 30_000;
          while (hasCharges && (await charts.count()) < 3 && Date.now() < deadline)
            await page.waitForTimeout(250);
          if (hasCharges && (await charts.count()) < 3)
            problems.push(`${p}: ${await charts.count()} charts for ${month}`);
        }
        if (p === '/owner') {
          const links = await page.locator('a[href^="/owner/"]').count();
          if (links !== kpis.length) problems.push(`/owner: ${links} month links for ${kpis.length} months`);
        } else if (!['/claim', '/claims', '/payer-claims'].includes(p)) {
          // The claim and claims pages show tables once the address names what to show (tested below).
          const tables = await page.locator('table').count();
          if (tables === 0) problems.push(`${p}: no table`);
        }
      });
      problems.push(...found.map((f) => `${p}: ${f}`));
    });
    expect(problems, problems.join('\n')).toEqual([]);
  }, 900_000);

  it('shows the headline numbers of kpi_monthly on every owner pack, each linking to the claims behind it', async () => {
    expect(kpis.length).toBeGreaterThanOrEqual(4);
    const mismatches: string[] = [];
    await eachConcurrently(kpis, PAGES_AT_ONCE, async (k) => {
      const urlPath = `/owner/${k.practice_id}/${k.month_key}`;
      const expected: Record<string, string> = {
        gross_charges: usd.format(k.gross_charges),
        total_payments: usd.format(k.total_payments),
        ar_total: usd.format(k.ar_total),
        ...(k.ar_over_90_pct === null ? {} : { ar_over_90_pct: pct(k.ar_over_90_pct) }),
        ...(k.days_in_ar === null ? {} : { days_in_ar: days(k.days_in_ar) }),
        ...(k.net_collection_rate_t90 === null
          ? {}
          : { net_collection_rate_t90: pct(k.net_collection_rate_t90) }),
        ...(k.initial_denial_rate === null ? {} : { initial_denial_rate: pct(k.initial_denial_rate) }),
        ...(k.first_pass_acceptance_rate === null
          ? {}
          : { first_pass_acceptance_rate: pct(k.first_pass_acceptance_rate) }),
      };
      await visit(urlPath, async (page) => {
        for (const [kpi, value] of Object.entries(expected)) {
          const link = page.locator(`[data-kpi="${kpi}"] a`).first();
          const shown = ((await link.textContent()) ?? '').trim();
          if (shown !== value) mismatches.push(`${urlPath} ${kpi}: page ${shown}, kpi_monthly ${value}`);
          const href = (await link.getAttribute('href')) ?? '';
          if (!href.startsWith(`/claims?practice=${k.practice_id}&month=${k.month_key}#`))
            mismatches.push(`${urlPath} ${kpi}: links to ${href}`);
        }
      });
    });
    expect(mismatches, mismatches.join('\n')).toEqual([]);
  }, 600_000);

  it("shows the latest month's initial denial rate and first-pass acceptance of kpi_monthly on the vendor scorecard", async () => {
    expect(kpis.some((k) => k.initial_denial_rate !== null)).toBe(true);
    const mismatches: string[] = [];
    for (const practice of manifest.practices.map((p) => p.practice_id)) {
      const latest = kpis.filter((k) => k.practice_id === practice).at(-1);
      if (!latest) throw new Error(`no months for ${practice}`);
      const problems = await visit(`/vendor/${practice}`, async (page) => {
        for (const kpi of ['initial_denial_rate', 'first_pass_acceptance_rate'] as const) {
          const value = latest[kpi];
          if (value === null) continue;
          const shown = ((await page.locator(`[data-kpi="${kpi}"] a`).first().textContent()) ?? '').trim();
          if (shown !== pct(value))
            mismatches.push(`/vendor/${practice} ${kpi}: page ${shown}, kpi_monthly ${pct(value)}`);
        }
      });
      mismatches.push(...problems);
    }
    expect(mismatches, mismatches.join('\n')).toEqual([]);
  }, 300_000);

  it('shows on the vendor scorecard the lights, thresholds, SLA and means before and after the vendor change of the marts', async () => {
    // The fixture's change (the manifest's) falls between its first and last month.
    expect(vendorMeans.some((v) => v.months_before > 0 && v.months_after > 0)).toBe(true);
    expect(vendorLights.length).toBeGreaterThan(0);
    expect(slaMonths.some((m) => m.worked > 0)).toBe(true);
    const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
    const orDash = (value: string | null, show: (v: string) => string) =>
      value === null ? '-' : show(value);
    const mismatches: string[] = [];
    for (const practice of manifest.practices.map((p) => p.practice_id)) {
      const urlPath = `/vendor/${practice}`;
      const problems = await visit(urlPath, async (page) => {
        // The scorecard: each KPI with a target, its value, target, light and the thresholds of its light.
        const lights = vendorLights
          .filter((l) => l.practice_id === practice)
          .map((l) => {
            const target = scorecardText(l.kpi_name, l.target_value);
            const poor = l.poor_value === null ? null : scorecardText(l.kpi_name, l.poor_value);
            const thresholds =
              l.direction === 'at_least'
                ? `green ≥ ${target}${poor === null ? '; amber below target' : `; red < ${poor}`}`
                : `green ≤ ${target}${poor === null ? '; amber above target' : `; red > ${poor}`}`;
            return [
              scorecardLabels[l.kpi_name],
              scorecardText(l.kpi_name, l.value),
              target,
              l.light,
              thresholds,
            ];
          })
          .sort();
        await expect
          .poll(
            async () =>
              (await tableRows(page, 'Scorecard against target'))
                .filter((cells) => lights.some((want) => want[0] === cells[0]))
                .map((cells) => [cells[0], cells[1], cells[4], cells[5], cells[6]])
                .sort(),
            { timeout: 60_000 },
          )
          .toEqual(lights);

        // SLA compliance: per month, rejections, worked, worked within the SLA's business days and the share.
        const sla = slaMonths.filter((m) => m.practice_id === practice);
        const slaRows = sla
          .map((m) => [
            m.month_key,
            count.format(m.rejections),
            count.format(m.worked),
            count.format(m.within_sla),
            orDash(m.sla_share, pct),
          ])
          .sort();
        await expect
          .poll(
            async () =>
              (await tableRows(page, 'SLA compliance by month'))
                .filter((cells) => sla.some((m) => m.month_key === cells[0]))
                .map((cells) => cells.slice(0, 5))
                .sort(),
            { timeout: 60_000 },
          )
          .toEqual(slaRows);
        if (sla[0]) {
          const text = ((await page.locator('body').textContent()) ?? '').replace(/\s+/g, ' ');
          if (!text.includes(`Rejections worked within the SLA (${sla[0].sla_days} business days`))
            mismatches.push(`${urlPath}: no SLA of ${sla[0].sla_days} business days in the page`);
        }

        // Before and after the vendor change: the means of kpi_monthly on either side and the months counted.
        const m = vendorMeans.find((v) => v.practice_id === practice);
        if (!m) return;
        const text = ((await page.locator('body').textContent()) ?? '').replace(/\s+/g, ' ');
        const since = `${m.billing_vendor} has worked this practice's claims since ${m.since}`;
        if (!text.includes(since)) mismatches.push(`${urlPath}: no "${since}"`);
        const means = async (title: string, kpi: string) =>
          ((await tableRows(page, title)).find((cells) => cells[0] === kpi) ?? []).filter((_, i) => i !== 3);
        await expect
          .poll(() => means('Rates before and after', 'Net collection rate (t90), mean'), { timeout: 60_000 })
          .toEqual([
            'Net collection rate (t90), mean',
            orDash(m.ncr_before, pct),
            orDash(m.ncr_after, pct),
            String(m.months_before),
            String(m.months_after),
          ]);
        await expect
          .poll(() => means('Days before and after', 'Days in A/R, mean'), { timeout: 60_000 })
          .toEqual([
            'Days in A/R, mean',
            orDash(m.days_before, days),
            orDash(m.days_after, days),
            String(m.months_before),
            String(m.months_after),
          ]);
      });
      mismatches.push(...problems.map((x) => `${urlPath}: ${x}`));
    }
    expect(mismatches, mismatches.join('\n')).toEqual([]);
  }, 300_000);

  it("shows on an owner pack the same month last year of kpi_monthly and the practice's targets", async () => {
    const pick = ownerComparison[0];
    if (!pick) throw new Error('no owner pack to compare');
    // A fixture of fewer than 13 months has no month a year before another: the column is then empty ("-") on
    // every row, as kpi_monthly has no such month, and the targets are the check that bites.
    console.info(
      `[reports] owner pack ${pick.practice_id}/${pick.month_key}: ${pick.has_last_year ? 'has' : 'has no'} month a year before`,
    );
    expect(ownerComparison.some((c) => c.target_value !== null)).toBe(true);
    const want = ownerComparison
      .map((c) => [
        scorecardLabels[c.kpi_name],
        c.last_year_value === null ? '-' : scorecardText(c.kpi_name, c.last_year_value),
        c.target_value === null ? '-' : scorecardText(c.kpi_name, c.target_value),
      ])
      .sort();
    const urlPath = `/owner/${pick.practice_id}/${pick.month_key}`;
    const problems = await visit(urlPath, async (page) => {
      // "Rates" and "Days": KPI, the month, last month, same month last year, target, light, thresholds.
      await expect
        .poll(
          async () =>
            [...(await tableRows(page, 'Rates')), ...(await tableRows(page, 'Days'))]
              .filter((cells) => want.some((w) => w[0] === cells[0]))
              .map((cells) => [cells[0], cells[3], cells[4]])
              .sort(),
          { timeout: 60_000 },
        )
        .toEqual(want);
      // "What moved": the charges of the month and the month before, and the change, in dollars and cents.
      const index = kpis.findIndex(
        (k) => k.practice_id === pick.practice_id && k.month_key === pick.month_key,
      );
      const [now, before] = [kpis[index], kpis[index - 1]];
      if (now && before?.practice_id === pick.practice_id) {
        const change = now.gross_charges - before.gross_charges;
        await expect
          .poll(
            async () => (await tableRows(page, 'Headline changes')).find((cells) => cells[0] === 'Charges'),
            {
              timeout: 60_000,
            },
          )
          .toEqual([
            'Charges',
            usd.format(before.gross_charges),
            usd.format(now.gross_charges),
            `${change < 0 ? '-' : '+'}${usd.format(Math.abs(change))}`,
          ]);
      }
    });
    expect(problems, problems.join('\n')).toEqual([]);
  }, 300_000);

  it('downloads the follow-up worklist as CSV: every claim of worklist_ar, the balances adding up to the mart', async () => {
    const w = worklistCsv;
    if (!w || w.claims === 0) throw new Error('the fixture has no follow-up worklist');
    let csv = '';
    let fileName = '';
    const problems = await visit(`/ar/${w.practice_id}`, async (page) => {
      const table = page
        .locator('.table-container')
        .filter({ has: page.getByText('Open payer claims, highest priority first', { exact: true }) })
        .filter({ visible: true })
        .first();
      await table.locator('td').first().waitFor({ timeout: 60_000 });
      // The table's Download button shows while the pointer is over the table.
      await table.hover();
      const button = table.getByRole('button', { name: 'Download' });
      await button.waitFor({ timeout: 30_000 });
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 60_000 }),
        button.click(),
      ]);
      fileName = download.suggestedFilename();
      csv = readFileSync(String(await download.path()), 'utf8');
    });
    expect(problems, problems.join('\n')).toEqual([]);
    expect(fileName).toMatch(/\.csv$/);
    // Every row of the table, not the 25 of its first page: one per claim of the mart.
    const [header = [], ...rows] = parseCsv(csv);
    const claimAt = header.indexOf('claim_id');
    const balanceAt = header.indexOf('balance');
    expect(claimAt).toBeGreaterThanOrEqual(0);
    expect(balanceAt).toBeGreaterThanOrEqual(0);
    expect(rows.length).toBe(w.claims);
    expect(new Set(rows.map((r) => r[claimAt])).size).toBe(w.claims);
    const cents = rows.reduce((sum, r) => sum + BigInt(Math.round(Number(r[balanceAt]) * 100)), 0n);
    expect(decimalOfCents(cents)).toBe(w.balance);
  }, 300_000);

  it('shows on each per-practice page and on /practices figures equal to the marts', async () => {
    const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
    /** The text of a BigValue with `data-figure`: its title, then the value. */
    const figure = async (page: import('playwright-core').Page, name: string) =>
      ((await page.locator(`[data-figure="${name}"]`).first().textContent()) ?? '')
        .replace(/\s+/g, ' ')
        .trim();
    const mismatches: string[] = [];
    // The fixture must exercise the figures: some practice has denials, rejections, a worklist and exceptions.
    expect(figures.some((f) => f.denied_claims > 0 && f.rejections > 0)).toBe(true);
    expect(figures.some((f) => f.worklist_claims > 0 && f.exceptions > 0)).toBe(true);
    expect(figures.some((f) => f.variance_claims > 0)).toBe(true);
    const checks: [urlPath: string, values: Record<string, string | null>, lists?: Record<string, string>][] =
      [];
    // Headlines over a list of claims link to that list, further down the same page.
    const listBehind: Record<string, string> = {
      denied_amount: 'every-denial',
      denied_claims: 'every-denial',
      rejections: 'rejections',
      worklist_balance: 'follow-up-worklist',
      worklist_claims: 'follow-up-worklist',
      exceptions: 'every-exception',
      underpaid: 'claims-to-appeal',
      variance_claims: 'claims-to-appeal',
      em_visits: 'em-distribution',
      claims_coding_denied: 'coding-denied-claims',
      insured_visits: 'per-month',
      eligibility_rate: 'visits-to-follow-up',
      front_end_share: 'front-end-denied-claims',
    };
    for (const f of figures) {
      const expected: Record<string, Record<string, string | null>> = {
        denials: {
          denied_amount: f.denied_amount === null ? null : usd.format(f.denied_amount),
          denied_claims: count.format(f.denied_claims),
          rejections: count.format(f.rejections),
        },
        ar: {
          worklist_balance: f.worklist_balance === null ? null : usd.format(f.worklist_balance),
          worklist_claims: count.format(f.worklist_claims),
        },
        coding: {
          em_visits: f.em_visits === null ? null : count.format(f.em_visits),
          claims_coding_denied: count.format(f.coding_denied_claims),
        },
        'front-end': {
          insured_visits: f.insured_visits === null ? null : count.format(f.insured_visits),
          front_end_share: f.front_end_share === null ? null : pct(f.front_end_share),
          eligibility_rate: f.eligibility_rate === null ? null : pct(f.eligibility_rate),
          eligibility_late_visits: count.format(f.eligibility_late_visits),
          authorization_missing_visits: count.format(f.authorization_missing_visits),
        },
        reconciliation: { exceptions: count.format(f.exceptions) },
        underpayments: {
          underpaid: f.underpaid === null ? null : usd.format(f.underpaid),
          variance_claims: count.format(f.variance_claims),
        },
      };
      // Lists whose total row counts their claims: the count they show.
      const lists: Record<string, Record<string, string>> = {
        coding: { 'coding-denied-claims': `${count.format(f.coding_denied_claims)} claims` },
        'front-end': { 'front-end-denied-claims': `${count.format(f.front_end_denied_claims)} claims` },
      };
      for (const [kind, values] of Object.entries(expected))
        checks.push([`/${kind}/${f.practice_id}`, values, lists[kind]]);
    }
    await eachConcurrently(checks, PAGES_AT_ONCE, async ([urlPath, values, lists]) => {
      const problems = await visit(urlPath, async (page) => {
        for (const [id, total] of Object.entries(lists ?? {})) {
          // The list after the heading the figure links to; its total row names the number of claims.
          const totalRow = page
            .locator(`[id="${id}"] ~ div`)
            .locator('tr')
            .filter({ hasText: new RegExp(`^\\s*${total}`) })
            .first();
          const found = await totalRow
            .waitFor({ timeout: 30_000 })
            .then(() => true)
            .catch(() => false);
          if (!found) mismatches.push(`${urlPath} #${id}: no total row reading "${total}"`);
        }
        for (const [name, value] of Object.entries(values)) {
          const shown = await figure(page, name);
          if (value === null) continue;
          // The BigValue reads "<title> <value>": the value is the last word.
          if (!shown.endsWith(` ${value}`))
            mismatches.push(`${urlPath} ${name}: page "${shown}", mart ${value}`);
          const list = listBehind[name];
          if (list === undefined) continue;
          const href = await page.locator(`[data-figure="${name}"] a`).first().getAttribute('href');
          const targets = await page.locator(`[id="${list}"]`).count();
          if (href !== `#${list}` || targets !== 1)
            mismatches.push(`${urlPath} ${name}: links to ${href}, ${targets} element(s) with id ${list}`);
        }
      });
      mismatches.push(...problems.map((x) => `${urlPath}: ${x}`));
    });

    // A payer page: the negotiation's underpaid total and twelve-month initial denial rate.
    expect(payerFigures.length).toBeGreaterThan(0);
    await eachConcurrently(payerFigures, PAGES_AT_ONCE, async (f) => {
      const urlPath = `/payers/${f.practice_id}/${f.payer_id}`;
      const problems = await visit(urlPath, async (page) => {
        const want: Record<string, string | null> = {
          underpaid: usd.format(f.underpaid),
          initial_denial_rate: f.initial_denial_rate === null ? null : pct(f.initial_denial_rate),
        };
        for (const [name, value] of Object.entries(want)) {
          if (value === null) continue;
          const shown = await figure(page, name);
          if (!shown.endsWith(` ${value}`))
            mismatches.push(`${urlPath} ${name}: page "${shown}", mart ${value}`);
        }
        // The headline covers every month and opens the list of the payer's claims that adds up to it.
        const headline: Record<string, string> = {
          summary_claims: count.format(f.claims),
          summary_charges: usd.format(f.charges),
          summary_allowed: usd.format(f.allowed),
          summary_paid: usd.format(f.paid),
        };
        for (const [name, value] of Object.entries(headline)) {
          const shown = await figure(page, name);
          if (!shown.endsWith(` ${value}`))
            mismatches.push(`${urlPath} ${name}: page "${shown}", claim lines ${value}`);
        }
        // Every figure opens the claims behind it: the payer's claims, or the variances further down.
        const links: Record<string, string> = {
          ...Object.fromEntries(
            [
              ...Object.keys(headline),
              // the twelve-month figures, when the scorecard has the payer's months
              ...(f.initial_denial_rate === null ? [] : ['rejection_rate', 'initial_denial_rate']),
            ].map((name) => [name, `/payer-claims?practice=${f.practice_id}&payer=${f.payer_id}`]),
          ),
          underpaid: '#claims-with-a-variance',
        };
        for (const [name, target] of Object.entries(links)) {
          const href = await page.locator(`[data-figure="${name}"] a`).first().getAttribute('href');
          if (href !== target) mismatches.push(`${urlPath} ${name}: links to ${href}, not ${target}`);
        }
        if ((await page.locator('[id="claims-with-a-variance"]').count()) !== 1)
          mismatches.push(`${urlPath}: no single element with id claims-with-a-variance`);
        // The days-to-pay distribution: its buckets hold every paid claim of the payer, the first those paid
        // within 14 days of their first submission.
        const buckets = page.locator('tr').filter({ hasText: /^\s*(\d+–\d+|over \d+) days/ });
        // Wait for a shown row: the table's invisible copy comes first and never becomes visible.
        await buckets
          .filter({ visible: true })
          .first()
          .waitFor({ timeout: 60_000 })
          .catch(() => undefined);
        const shownBuckets = await buckets.evaluateAll((trs) =>
          trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())),
        );
        // Each bucket's row is in the page twice (as the run that added this check found): count it once.
        const byBucket = new Map(shownBuckets.map((cells) => [cells[0], cells]));
        const cellCount = (cells: string[]) =>
          Number((cells.find((c) => /^[\d,]+$/.test(c)) ?? 'NaN').replaceAll(',', ''));
        const total = [...byBucket.values()].reduce((sum, cells) => sum + cellCount(cells), 0);
        const first = byBucket.get('0–14 days');
        if (total !== f.paid_claims || (first ? cellCount(first) : 0) !== f.paid_within_14_days)
          mismatches.push(
            `${urlPath} days to pay: page ${JSON.stringify([...byBucket.values()])}, marts ${f.paid_claims} paid, ` +
              `${f.paid_within_14_days} within 14 days`,
          );
      });
      mismatches.push(...problems.map((x) => `${urlPath}: ${x}`));
    });

    // The list behind a payer page's headline, read in the browser from its address, adds up to it.
    await eachConcurrently(payerFigures, PAGES_AT_ONCE, async (f) => {
      const urlPath = `/payer-claims?practice=${f.practice_id}&payer=${f.payer_id}`;
      const problems = await visit(urlPath, async (page) => {
        const want: Record<string, string> = {
          claims: count.format(f.claims),
          charges: usd.format(f.charges),
          allowed: usd.format(f.allowed),
          paid: usd.format(f.paid),
        };
        await expect
          .poll(() => figure(page, 'claims'), { timeout: 60_000 })
          .toMatch(new RegExp(`${want.claims}$`));
        for (const [name, value] of Object.entries(want)) {
          const shown = await figure(page, name);
          if (!shown.endsWith(` ${value}`))
            mismatches.push(`${urlPath} ${name}: page "${shown}", marts ${value}`);
        }
        const back = page.getByRole('link', { name: 'Back to the payer page' });
        expect(await back.getAttribute('href')).toBe(`/payers/${f.practice_id}/${f.payer_id}`);
      });
      mismatches.push(...problems.map((x) => `${urlPath}: ${x}`));
    });

    // The overview: each practice's latest month beside the others, as kpi_monthly has it.
    const problems = await visit('/practices', async (page) => {
      for (const practice of manifest.practices.map((p) => p.practice_id)) {
        const latest = kpis.filter((k) => k.practice_id === practice).at(-1);
        if (!latest) throw new Error(`no months for ${practice}`);
        // The links table below is server-rendered with the same practice and month, and is in the page
        // before the DataTable's rows load: pick the row that holds the KPI columns, and wait for it.
        const row = page
          .locator('tr:not([data-practice])')
          .filter({ hasText: latest.month_key })
          .filter({ hasText: practice })
          .filter({ hasText: usd.format(latest.ar_total) })
          // the shown row: the DataTable's invisible copy (kept for measuring) comes first and never shows
          .filter({ visible: true })
          .first();
        // A row that never shows (a wrong A/R, say) is reported below as a mismatch, not as a timeout.
        await row.waitFor({ timeout: 60_000 }).catch(() => undefined);
        const cells = (await row.locator('td').allTextContents()).map((c) => c.trim());
        const at = cells.indexOf(practice);
        const want = [
          practice,
          latest.month_key,
          latest.net_collection_rate_t90 === null ? '-' : pct(latest.net_collection_rate_t90),
          latest.days_in_ar === null ? '-' : days(latest.days_in_ar),
          latest.ar_over_90_pct === null ? '-' : pct(latest.ar_over_90_pct),
          latest.initial_denial_rate === null ? '-' : pct(latest.initial_denial_rate),
          latest.first_pass_acceptance_rate === null ? '-' : pct(latest.first_pass_acceptance_rate),
          usd.format(latest.gross_charges),
          usd.format(latest.total_payments),
          usd.format(latest.ar_total),
        ];
        const got = cells.slice(at, at + want.length);
        if (JSON.stringify(got) !== JSON.stringify(want))
          mismatches.push(
            `/practices ${practice}: page ${JSON.stringify(got)}, kpi_monthly ${JSON.stringify(want)}`,
          );
        for (const kind of practicePages)
          if (
            (await page.locator(`tr[data-practice="${practice}"] a[href="/${kind}/${practice}"]`).count()) !==
            1
          )
            mismatches.push(`/practices: no link to /${kind}/${practice}`);
      }
    });
    mismatches.push(...problems.map((x) => `/practices: ${x}`));
    expect(mismatches, mismatches.join('\n')).toEqual([]);
  }, 600_000);

  it('filters the denials page by payer: its headline and tables keep only that payer', async () => {
    const f = denialPayer;
    if (!f) throw new Error('the fixture has no practice with denials from two payers');
    const urlPath = `/denials/${f.practice_id}`;
    const problems = await visit(urlPath, async (page) => {
      await pick(page, 'Payer', f.payer_id);
      const figure = page.locator('[data-figure="denied_amount"]').first();
      await expect
        .poll(async () => ((await figure.textContent()) ?? '').replace(/\s+/g, ' ').trim(), {
          timeout: FILTERED_MS,
        })
        .toBe(`Denied ${usd.format(f.denied_amount)}`);
      // "By payer" lists one row, the payer's; "Every denial" lists its denials and no other payer's.
      const byPayer = page.locator('table').filter({ hasText: 'Days to resolve, median' }).first();
      await expect
        .poll(
          async () => (await byPayer.locator('tr > td:first-child').allInnerTexts()).map((x) => x.trim()),
          {
            timeout: FILTERED_MS,
          },
        )
        .toEqual([f.payer_id]);
      // Its columns: Claim, Account ref., Line, Payer, …
      const every = page.locator('table').filter({ hasText: 'Remittance' }).first();
      await expect
        .poll(
          async () => (await every.locator('tr > td:nth-child(4)').allInnerTexts()).map((x) => x.trim()),
          {
            timeout: FILTERED_MS,
          },
        )
        .toEqual(Array(Math.min(f.denials, 25)).fill(f.payer_id));
    });
    expect(problems).toEqual([]);
  }, 300_000);

  it("filters the owner pack by payer: the A/R aging keeps that payer's claims, the headline stays the month's", async () => {
    const f = ownerPayer;
    if (!f) throw new Error('the fixture has no month-end A/R on claims of two payers');
    const k = kpis.find((row) => row.practice_id === f.practice_id && row.month_key === f.month_key);
    if (!k) throw new Error(`no kpi_monthly row for ${f.practice_id} ${f.month_key}`);
    const urlPath = `/owner/${f.practice_id}/${f.month_key}`;
    const problems = await visit(urlPath, async (page) => {
      // Unfiltered, the aging lists other payers too (polled: on a busy machine the table may not be drawn yet).
      await expect
        .poll(
          async () =>
            (await columnOf(page, 'Owed by', 1)).filter(
              (x) => x !== f.payer_id && x !== 'Patients' && x !== 'Total',
            ).length,
          { timeout: 30_000 },
        )
        .toBeGreaterThan(0);
      await pick(page, 'Payer', f.payer_id);
      // The aging's rows: the payer, its patients (if they owe on its claims), the total of ar_snapshots' balances.
      await expect
        .poll(async () => (await columnOf(page, 'Owed by', 1)).filter((x) => x !== 'Patients'), {
          timeout: FILTERED_MS,
        })
        .toEqual([f.payer_id, 'Total']);
      await expect
        .poll(async () => (await columnOf(page, 'Owed by', 8)).at(-1), { timeout: FILTERED_MS })
        .toBe(usd.format(f.balance));
      // The payer mix keeps the payer's row; the headline is still kpi_monthly's.
      await expect
        .poll(async () => columnOf(page, 'Share of payments', 1), { timeout: FILTERED_MS })
        .toEqual([f.payer_id]);
      expect(((await page.locator('[data-kpi="ar_total"] a').first().textContent()) ?? '').trim()).toBe(
        usd.format(k.ar_total),
      );
    });
    expect(problems).toEqual([]);
  }, 300_000);

  it('counts each claim once in its denial category on the owner pack', async () => {
    const d = ownerDenials;
    if (!d) throw new Error('the fixture has no denials in a month with an owner pack');
    const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
    const problems = await visit(`/owner/${d.practice_id}/${d.month_key}`, async (page) => {
      await expect
        .poll(async () => columnOf(page, 'Usually fixed by', 3), { timeout: 30_000 })
        .toEqual(d.claims.map((n) => count.format(n)));
    });
    expect(problems).toEqual([]);
  }, 300_000);

  it('lists the coding audit candidates and the recodes of the marts', async () => {
    // The fixture must exercise both tables (see the settings file and the recoded 835 line above).
    expect(auditClaims.some((a) => a.claims.length > 0)).toBe(true);
    expect(recodeClaims.some((r) => r.claims.length > 0)).toBe(true);
    const checks = [
      ...auditClaims.map((a) => ({
        urlPath: `/coding/${a.practice_id}`,
        header: 'Why',
        column: 4,
        claims: a.claims,
      })),
      ...recodeClaims.map((r) => ({
        urlPath: `/underpayments/${r.practice_id}`,
        header: 'Billed code from',
        column: 1,
        claims: r.claims,
      })),
    ];
    const mismatches: string[] = [];
    for (const c of checks) {
      const problems = await visit(c.urlPath, async (page) => {
        // Both tables show 25 rows a page.
        const want = c.claims.slice(0, 25);
        await expect.poll(async () => columnOf(page, c.header, c.column), { timeout: 30_000 }).toEqual(want);
      });
      mismatches.push(...problems.map((x) => `${c.urlPath}: ${x}`));
    }
    expect(mismatches, mismatches.join('\n')).toEqual([]);
  }, 300_000);

  it('lists claims that add up to the headline A/R figures', async () => {
    const k = kpis.find((row) => (arOver90.get(`${row.practice_id}/${row.month_key}`) ?? 0) > 0) ?? kpis[0];
    if (!k) throw new Error('no kpi rows');
    const over90 = arOver90.get(`${k.practice_id}/${k.month_key}`) ?? 0;
    // The page reads practice and month from the address and queries in the browser, as the owner pack's links
    // open it.
    const problems = await visit(`/claims?practice=${k.practice_id}&month=${k.month_key}`, async (page) => {
      await page
        .getByRole('heading', {
          name: `Practice ${k.practice_id} — ${k.month_key}: the claims behind the headline`,
        })
        .waitFor();
      const big = async (title: string) =>
        (
          (await page
            .locator('p', { hasText: new RegExp(`^\\s*${title}\\s*$`) })
            .first()
            .locator('xpath=following-sibling::div[1]')
            .textContent()) ?? ''
        ).trim();
      await expect.poll(() => big('Total A/R'), { timeout: 60_000 }).toBe(usd.format(k.ar_total));
      await expect.poll(() => big('A/R over 90 days'), { timeout: 60_000 }).toBe(usd.format(over90));
      await expect.poll(() => big('Charges'), { timeout: 60_000 }).toBe(usd.format(k.gross_charges));
      // A/R over 90 days as a share, recomputed from the claims, equals the pack's percentage.
      if (k.ar_over_90_pct !== null)
        expect(Math.abs(over90 / k.ar_total - Number(k.ar_over_90_pct))).toBeLessThan(0.000001);
      // The net collection rate and days in A/R, worked out on the page from the claims of the trailing three
      // months, equal kpi_monthly's, and their parts equal kpi_monthly's monthly totals summed here.
      const figure = async (name: string) =>
        ((await page.locator(`[data-figure="${name}"]`).first().textContent()) ?? '')
          .replace(/\s+/g, ' ')
          .trim();
      if (k.net_collection_rate_t90 === null || k.days_in_ar === null)
        throw new Error('month without ratios');
      await expect
        .poll(() => figure('net_collection_rate_t90'), { timeout: 60_000 })
        .toBe(pct(k.net_collection_rate_t90));
      const formula = await figure('net_collection_rate_t90_formula');
      expect(formula).toContain(`Payments ${usd.format(k.payments_t3)}`);
      expect(formula).toContain(`charges ${usd.format(k.charges_t3)}`);
      expect(formula).toContain(`contractual adjustments ${usd.format(k.contractual_t3)}`);
      expect(await figure('days_in_ar')).toBe(roundDecimal(k.days_in_ar, 0, 2));
      const daysFormula = await figure('days_in_ar_formula');
      expect(daysFormula).toContain(`A/R ${usd.format(k.ar_total)}`);
      expect(daysFormula).toContain(`charges ${usd.format(k.charges_t3)}`);
      const back = page.getByRole('link', { name: 'Back to the pack' });
      expect(await back.getAttribute('href')).toBe(`/owner/${k.practice_id}/${k.month_key}`);
    });
    expect(problems, problems.join('\n')).toEqual([]);
  }, 300_000);

  it('shows a claim with the file and segment each of its facts came from', async () => {
    const { practice_id, claim_id, file_name, position } = sampleClaim;
    const problems = await visit(`/claim?practice=${practice_id}&claim=${claim_id}`, async (page) => {
      await page.getByRole('heading', { name: `Claim ${claim_id} — practice ${practice_id}` }).waitFor();
      await page.getByRole('row').filter({ hasText: 'Date of service', visible: true }).first().waitFor();
      const row = page.getByRole('row').filter({ hasText: file_name, visible: true }).first();
      await row.waitFor({ timeout: 60_000 });
      expect(await row.textContent()).toContain(String(position));
    });
    expect(problems, problems.join('\n')).toEqual([]);
  }, 300_000);

  it('prints the owner pack and a payer page with rcm pack; the PDF holds the headline numbers', async () => {
    const k = kpis.filter((row) => row.gross_charges > 0).at(-1);
    if (!k) throw new Error('no month with charges');
    mkdirSync(pdfDir, { recursive: true });
    const out = path.join(pdfDir, 'pack.pdf');
    const started = Date.now();
    const packed = runRcm([
      'pack',
      '--month',
      k.month_key,
      '--practice',
      k.practice_id,
      '--dir',
      site,
      '--out',
      out,
    ]);
    expect(packed.code, packed.stdout + packed.stderr).toBe(0);
    console.info(`[reports] rcm pack: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const { pages, text } = await pdfText(out);
    // Sections start on their own pages: headline, trends, aging, mix, what moved, methods at least.
    expect(pages).toBeGreaterThanOrEqual(6);
    expect(text).toContain(`Practice ${k.practice_id} · ${k.month_key}`);
    expect(text).toContain(`page 1 of ${pages}`);
    expect(text).toContain('Data loaded up to');
    for (const value of [usd.format(k.gross_charges), usd.format(k.total_payments), usd.format(k.ar_total)])
      expect(text).toContain(value);
    // The headline's rates, as the page shows them.
    const rates = (
      [
        'net_collection_rate_t90',
        'ar_over_90_pct',
        'initial_denial_rate',
        'first_pass_acceptance_rate',
      ] as const
    ).flatMap((kpi) => {
      const value = k[kpi];
      return value === null ? [] : [pct(value)];
    });
    expect(rates.length).toBeGreaterThan(0);
    for (const value of rates) expect(text).toContain(value);

    const payerOut = path.join(pdfDir, 'payer.pdf');
    // A payer's page covers every month: no --month.
    const payer = runRcm([
      'pack',
      '--practice',
      k.practice_id,
      '--payer',
      'MCR',
      '--dir',
      site,
      '--out',
      payerOut,
    ]);
    expect(payer.code, payer.stdout + payer.stderr).toBe(0);
    const payerText = (await pdfText(payerOut)).text;
    expect(payerText).toContain(`Payer MCR — practice ${k.practice_id}`);
    // The footer names no month (none was given).
    expect(payerText).toContain(`Payer MCR · practice ${k.practice_id} · Data loaded up to`);
    // The page's totals, every month: claims, and what the 835s allowed and paid (claim_lines).
    const mcr = mcrTotals.get(k.practice_id);
    if (!mcr || mcr.allowed === null || mcr.paid === null)
      throw new Error(`no remitted MCR claims for ${k.practice_id}`);
    for (const value of [
      new Intl.NumberFormat('en-US').format(mcr.claims),
      usd.format(mcr.allowed),
      usd.format(mcr.paid),
    ])
      expect(payerText).toContain(value);

    const noMonth = runRcm(['pack', '--practice', k.practice_id, '--dir', site]);
    expect(noMonth.code).toBe(2);
    expect(noMonth.stderr).toContain('--month YYYY-MM is required');
    const noPage = runRcm(['pack', '--month', '1999-01', '--practice', k.practice_id, '--dir', site]);
    expect(noPage.code).toBe(2);
    expect(noPage.stderr).toContain(k.month_key);
  }, 300_000);

  it('keeps every canary PHI value out of the built site and the PDFs', async () => {
    const values = manifest.canaries.map((c) => c.value);
    expect((await canaryHits([inbox], values)).length).toBeGreaterThan(0);
    // The PDFs' text, decoded (their streams are compressed), sits beside them.
    expect(existsSync(path.join(pdfDir, 'pack.pdf.txt'))).toBe(true);
    // So does the page record's SQL (gzip'd in the site: reports/tools/page-reuse.mjs), decoded.
    const record = readFileSync(path.join(site, 'api/rcm-prerender-record.txt'), 'utf8').split('\n').slice(1);
    const recorded = record
      .filter((line) => line.includes('\t'))
      .map((line) => gunzipSync(Buffer.from(line.slice(line.indexOf('\t') + 1), 'base64')).toString('utf8'));
    expect(recorded.length).toBeGreaterThan(0);
    expect(recorded.join('\n')).toContain('select');
    writeFileSync(path.join(pdfDir, 'page-record.txt'), recorded.join('\n'));
    expect(await canaryHits([site, pdfDir], values)).toEqual([]);
  }, 300_000);
  // The warehouse and site of the test below, for the page reuse after it.
  const changedWarehouse = path.join(wh.dir, 'rcm-new-data.duckdb');
  const newSite = path.join(wh.dir, 'site-new-data');
  /** The owner pack whose month's payments the test below raises: /owner/<practice>/<month>/. */
  let changedPack = '';

  it('reuses the compiled bundles when only the data changed, offline, and the site shows the new data', async () => {
    expect(built.status).toBe(0);
    // The same pages over different data, in a copy of the warehouse: PUB2's total paid raised by $1,000.00, and
    // the payments of the second generated practice's last month by $1,000.00 (for the page reuse below).
    const warehouse = changedWarehouse;
    copyFileSync(wh.database, warehouse);
    const second = manifest.practices[1]?.practice_id as string;
    const last = await raiseMonthPayments(warehouse, second, 'max', 1000, (conn) =>
      conn.run(
        `update marts.remittance_summary set total_paid = total_paid + 1000 where practice_id = 'PUB2'`,
      ),
    );
    changedPack = `/owner/${second}/${last}/`;
    const hitLog = connectLog ? path.join(wh.dir, 'connect-hit.strace') : undefined;
    // One prerender, loading each source table from its Parquet file: the page reuse below builds the same site in
    // two shards reading the build's table file, and expects the same files.
    const hit = buildReports(warehouse, newSite, hitLog, {
      RCM_REPORTS_CACHE: cacheDir,
      RCM_REPORTS_SHARDS: '1',
      RCM_REPORTS_TABLE_FILE: 'off',
    });
    expect(hit.status, `build-reports.sh failed:\n${hit.output.slice(-6000)}`).toBe(0);
    expect(hit.output).toMatch(/compile cache: hit \([0-9a-f]{64}\)/);
    expect(hit.output).not.toContain('[reports] evidence build:strict');
    expect(hit.output).not.toContain('prerendered in');
    expect(hit.output).not.toContain('source tables read from');
    const html = readFileSync(path.join(newSite, 'index.html'), 'utf8');
    expect(html).toContain(dollars(totalPaidCents + 100_000n));
    expect(html).not.toContain(dollars(totalPaidCents));
    // The very bundles of the first build, and the same pages and data files (less the names that hash the
    // data: Parquet folders and query results).
    const bundles = (dir: string) =>
      walk(path.join(dir, '_app/immutable'))
        .map((f) => path.relative(dir, f))
        .sort();
    expect(bundles(newSite)).toEqual(bundles(site));
    const pages = (dir: string) =>
      walk(dir)
        .map((f) => path.relative(dir, f))
        .filter((f) => !/^(_app\/|api\/prerendered_queries\/|data\/.*\.parquet$)/.test(f))
        .sort();
    expect(pages(newSite)).toEqual(pages(site));
    if (hitLog) {
      const off = offMachineConnects(readFileSync(hitLog, 'utf8'));
      expect(off, off.join('\n')).toEqual([]);
    }
  }, 900_000);

  /**
   * Raises the payer payments of a practice's first or last month in kpi_monthly of `warehouse` by `dollars`, after
   * `also` ran on the same connection; the month, as YYYY-MM.
   */
  async function raiseMonthPayments(
    warehouse: string,
    practice: string,
    which: 'min' | 'max',
    dollars: number,
    also?: (conn: Awaited<ReturnType<DuckDBInstance['connect']>>) => Promise<unknown>,
  ): Promise<string> {
    const db = await DuckDBInstance.create(warehouse);
    const conn = await db.connect();
    try {
      await also?.(conn);
      const month = (
        await conn.runAndReadAll(
          `select strftime(${which}(month), '%Y-%m') from marts.kpi_monthly where practice_id = '${practice}'`,
        )
      ).getRows()[0]?.[0];
      if (typeof month !== 'string') throw new Error(`no months for ${practice}`);
      await conn.run(
        `update marts.kpi_monthly set payer_payments = payer_payments + ${dollars}
         where practice_id = '${practice}' and strftime(month, '%Y-%m') = '${month}'`,
      );
      return month;
    } finally {
      conn.disconnectSync();
      db.closeSync();
    }
  }

  /** The site of the test below: the first site, then the changed data's pages kept or rendered over it. */
  const keptSite = path.join(wh.dir, 'site-kept');
  /** What a build says of its kept pages: how many, the queries its checks kept by slices, ran and planned, why. */
  const keptSaid = (output: string) => {
    const said =
      /pages kept from the previous build: (\d+) \((\d+) row queries kept by their slices, (\d+) run, (\d+) plans read(?:, (\d+) slice checks contradicted by a run)?\); rendered: (.*)/.exec(
        output,
      );
    expect(said, output.slice(-3000)).not.toBeNull();
    const [, kept, bySlices, run, planned, contradicted, rendered] = said ?? [];
    return {
      kept: Number(kept),
      bySlices: Number(bySlices),
      run: Number(run),
      planned: Number(planned),
      contradicted: contradicted === undefined ? undefined : Number(contradicted),
      rendered: rendered ?? '',
    };
  };

  it('keeps the pages whose queries return what they returned in the previous site, and only those', () => {
    // The changed warehouse of the test above, built over a copy of the first site (the same compile): a page is
    // kept when its recorded queries return the same bytes. The site above rendered every page of the same data.
    expect(existsSync(newSite)).toBe(true);
    // Prerendered in two shards (tools/prerender-shards.mjs), against the site above prerendered in one.
    cpSync(site, keptSite, { recursive: true });
    const build = buildReports(changedWarehouse, keptSite, undefined, {
      RCM_REPORTS_CACHE: cacheDir,
      RCM_REPORTS_SHARDS: '2',
    });
    expect(build.status, `build-reports.sh failed:\n${build.output.slice(-6000)}`).toBe(0);
    expect(build.output).toMatch(/compile cache: hit/);
    const shared = /prerendered in 2 shards, pages saved by each: (\d+), (\d+)/.exec(build.output);
    expect(shared, build.output.slice(-3000)).not.toBeNull();
    expect(Number(shared?.[1])).toBeGreaterThan(0);
    expect(Number(shared?.[2])).toBeGreaterThan(0);
    // Each worker (and the process that starts them, which loads the layout too) read the source tables from the
    // table file: all but the claim facts, read in the browser only, and the tables without rows.
    const fromFile = [
      ...build.output.matchAll(/(\d+) source tables read from source-tables\.duckdb, (\d+) from/g),
    ];
    expect(fromFile.length).toBeGreaterThanOrEqual(2);
    for (const [, read, left] of fromFile) {
      expect(Number(read)).toBeGreaterThan(20);
      expect(Number(left)).toBeGreaterThanOrEqual(1);
    }
    const said = keptSaid(build.output);
    const kept = said.kept;
    expect(kept).toBeGreaterThan(0);
    expect(said.rendered).toMatch(/\b[1-9]\d* data changed/);
    // The first site recorded no slices for its queries: each kept page's queries ran, and their plans were read
    // for the next build.
    expect(said.bySlices).toBe(0);
    expect(said.run).toBeGreaterThan(0);
    expect(said.planned).toBeGreaterThan(0);

    const files = (dir: string) =>
      walk(dir)
        .map((f) => path.relative(dir, f))
        .sort();
    // The same files as the site rendered in full, result files (named by their bytes' MD5) included.
    expect(files(keptSite)).toEqual(files(newSite));
    // Element ids are drawn at random by each render (melt-ui); everything else on a page must be the same.
    const withoutIds = (html: string) =>
      html.replace(/\b(id|aria-controls|aria-labelledby|aria-describedby|for)="[A-Za-z0-9_-]{10}"/g, '$1=""');
    const pageFile = (urlPath: string) => `${urlPath.replace(/^\//, '')}index.html`;
    let keptPages = 0;
    for (const f of files(keptSite)) {
      if (f.startsWith('_app/') || f === 'api/rcm-prerender-record.txt' || f === 'api/rcm-source-slices.json')
        continue;
      const inKept = readFileSync(path.join(keptSite, f));
      const inNew = readFileSync(path.join(newSite, f));
      if (!f.endsWith('.html')) {
        expect(inKept.equals(inNew), f).toBe(true);
        continue;
      }
      expect(withoutIds(inKept.toString('utf8')), f).toBe(withoutIds(inNew.toString('utf8')));
      // A kept page is the first site's file itself, its ids too.
      const before = path.join(site, f);
      if (existsSync(before) && inKept.equals(readFileSync(before))) keptPages += 1;
    }
    expect(keptPages).toBeGreaterThanOrEqual(kept);
    // The pack whose payments changed was rendered: its page differs from the first site's beyond the ids.
    const pack = pageFile(changedPack);
    expect(withoutIds(readFileSync(path.join(keptSite, pack), 'utf8'))).not.toBe(
      withoutIds(readFileSync(path.join(site, pack), 'utf8')),
    );

    // The same compile key compiled again (no cache entry): a new compile names other bundle files, so no page of
    // the previous site may be kept, though every query returns what it did.
    const recompiled = path.join(wh.dir, 'site-recompiled');
    cpSync(keptSite, recompiled, { recursive: true });
    const again = buildReports(changedWarehouse, recompiled, undefined, {
      RCM_REPORTS_CACHE: path.join(wh.dir, 'compile-cache-empty'),
    });
    expect(again.status, `build-reports.sh failed:\n${again.output.slice(-6000)}`).toBe(0);
    expect(again.output).toMatch(/compile cache: miss/);
    expect(again.output).toMatch(/pages kept from the previous build: 0 \(/);
  }, 1_200_000);

  it('keeps the results of queries none of whose rows changed without running them, and renders what changed', async () => {
    // A third day over the kept site: the changed warehouse with the first practice's first month's payments raised.
    // Every query of a kept page whose plan reads only unchanged slices keeps its result unrun; verifying, each such
    // query runs too, and none may return anything else.
    expect(existsSync(path.join(keptSite, 'api/rcm-source-slices.json'))).toBe(true);
    const warehouse = path.join(wh.dir, 'rcm-third-day.duckdb');
    copyFileSync(changedWarehouse, warehouse);
    const practice = manifest.practices[0]?.practice_id as string;
    const month = await raiseMonthPayments(warehouse, practice, 'min', 500);
    const third = path.join(wh.dir, 'site-third-day');
    cpSync(keptSite, third, { recursive: true });
    const build = buildReports(warehouse, third, undefined, {
      RCM_REPORTS_CACHE: cacheDir,
      RCM_REPORTS_VERIFY_SLICES: '1',
      RCM_REPORTS_SHARDS: '3',
    });
    expect(build.status, `build-reports.sh failed:\n${build.output.slice(-6000)}`).toBe(0);
    const said = keptSaid(build.output);
    expect(said.contradicted).toBe(0);
    expect(said.kept).toBeGreaterThan(0);
    expect(said.bySlices).toBeGreaterThan(0);
    expect(said.rendered).toMatch(/\b[1-9]\d* data changed/);
    // Every page of this site has a record in the previous one; the links without their trailing slash, which find
    // none and are answered by a redirect, are said apart.
    expect(said.rendered).not.toMatch(/no record/);
    expect(said.rendered).toMatch(/\b[1-9]\d* redirects \(not pages\)/);
    // The month's pack was rendered with the new payments (every later pack of the practice shows that month in its
    // trend); the other practice's packs, which read none of its rows, were kept.
    const pack = `owner/${practice}/${month}/index.html`;
    expect(readFileSync(path.join(third, pack), 'utf8')).not.toBe(
      readFileSync(path.join(keptSite, pack), 'utf8'),
    );
    const other = manifest.practices[1]?.practice_id as string;
    const packs = readdirSync(path.join(third, 'owner', other)).filter((m) => /^\d{4}-\d{2}$/.test(m));
    const keptPacks = packs.filter((m) => {
      const f = `owner/${other}/${m}/index.html`;
      return readFileSync(path.join(third, f)).equals(readFileSync(path.join(keptSite, f)));
    });
    expect(keptPacks.length).toBeGreaterThan(0);
  }, 900_000);

  it('keys the compile on the pages: a changed page or partial is a miss, an unchanged copy a hit', () => {
    /** The compile key tools/compile-cache.mjs gives a build copy of reports/ (as scripts/build-reports.sh makes). */
    const compileKey = (work: string) => {
      const r = spawnSync(
        process.execPath,
        [path.join(repoRoot, 'reports/tools/compile-cache.mjs'), 'key', work, repoRoot],
        { encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } },
      );
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.trim();
    };
    const copy = (name: string) => {
      const work = path.join(wh.dir, name);
      for (const f of ['pages', 'sources', 'evidence.config.yaml', 'evidence.settings.json', 'package.json'])
        cpSync(path.join(repoRoot, 'reports', f), path.join(work, f), { recursive: true });
      mkdirSync(path.join(work, 'partials'));
      writeFileSync(path.join(work, 'partials/kpi-methods.md'), 'Methods\n');
      return work;
    };
    const a = compileKey(copy('key-a'));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(compileKey(copy('key-b'))).toBe(a);
    const changed = copy('key-c');
    writeFileSync(
      path.join(changed, 'pages/index.md'),
      `${readFileSync(path.join(changed, 'pages/index.md'), 'utf8')}\nMore.\n`,
    );
    expect(compileKey(changed)).not.toBe(a);
    const partial = copy('key-d');
    writeFileSync(path.join(partial, 'partials/kpi-methods.md'), 'Methods, reworded\n');
    expect(compileKey(partial)).not.toBe(a);
  });
});
