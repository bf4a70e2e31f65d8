/**
 * The help of every command, as data: `rcm <command> --help` and `rcm help <command>` print it. Hand-kept
 * beside node:util parseArgs rather than a CLI library: parseArgs already parses every command, no CLI library
 * is a dependency, and test/cli/help.test.ts checks that each command has its help and accepts every option
 * the help lists.
 */
export interface CommandHelp {
  usage: string;
  summary: string;
  /** [option, what it does] */
  options: [string, string][];
  examples: string[];
  /** Exit codes beyond 0 (ok), 1 (error), 2 (usage) and 6 (lock held), when the command has any. */
  exitCodes?: string;
}

const warehouse: [string, string] = [
  '--warehouse FILE',
  'the DuckDB file (default warehouse/rcm.duckdb, or RCM_WAREHOUSE); archive/ and quarantine/ sit beside it',
];

export const help: Record<string, CommandHelp> = {
  run: {
    usage: 'rcm run [INBOX] [--warehouse FILE] [--out DIR]',
    summary: 'the daily job: load the inbox, dbt build, build the reports; stops at the first failed step',
    options: [
      [
        'INBOX',
        'the inbox folder, INBOX/<practice_id>/... (default: RCM_INBOX, or inbox/ beside the warehouse)',
      ],
      warehouse,
      [
        '--out DIR',
        'where the report site goes (default reports/build); replaced only by a successful build',
      ],
    ],
    examples: ['rcm run ~/rcm/inbox', 'rcm run   # RCM_INBOX or inbox/ beside the warehouse'],
    exitCodes: '3 files quarantined (nothing after the load ran), 4 dbt build failed, 5 report build failed',
  },
  schedule: {
    usage: 'rcm schedule [INBOX] [--cron EXPR] [--timezone TZ] [--warehouse FILE]',
    summary: "stay running and start `rcm run` at each due time of the settings' schedule, one run at a time",
    options: [
      [
        'INBOX',
        "passed to each `rcm run` (default: the settings' inbox, RCM_INBOX, or inbox/ beside the warehouse)",
      ],
      [
        '--cron EXPR',
        'when to run, overriding schedule.cron in the settings (minute hour day month weekday)',
      ],
      ['--timezone TZ', "the cron expression's time zone (default schedule.timezone, else the machine's)"],
      warehouse,
    ],
    examples: [
      'rcm schedule   # schedule.cron from rcm.config.yaml',
      'rcm schedule --cron "30 6 * * 1-5" --timezone America/Chicago',
    ],
    exitCodes:
      "0 after SIGINT/SIGTERM (the run in progress finishes first), 7 no or a bad cron expression; each run's own exit code is in logs/schedule.jsonl",
  },
  status: {
    usage: 'rcm status [--warehouse FILE] [--runs N] [--stale-835-days N] [--json]',
    summary: 'last runs, newest file per practice and source, quarantined files, freshness warnings',
    options: [
      warehouse,
      ['--runs N', 'how many recent runs to list (default 10)'],
      [
        '--stale-835-days N',
        'warn when a practice has had no 835 for N days (default freshness.stale_835_days, 14)',
      ],
      ['--json', 'the same as one JSON document'],
    ],
    examples: ['rcm status', 'rcm status --json | jq .warnings'],
    exitCodes: 'status reads only; it exits 0 even with warnings',
  },
  export: {
    usage:
      'rcm export MART|query:NAME [--format csv|parquet|arrow|xlsx] [--out FILE] [--practice ID]...\n' +
      '       [--from YYYY-MM] [--to YYYY-MM] [--period-column COL] [--warehouse FILE]\n       rcm export --list',
    summary: 'a mart or a named query to CSV, Parquet, Arrow IPC or XLSX, filtered by practice and period',
    options: [
      ['MART', 'a table of the marts schema (kpi_monthly, claims, ar_snapshots, …; docs/models.md)'],
      ['query:NAME', 'a named query over the marts (rcm export --list)'],
      ['--format FORMAT', 'csv (default), parquet, arrow or xlsx; taken from --out when it ends in one'],
      [
        '--out FILE',
        'where to write (default MART.FORMAT in the current folder); written whole or not at all',
      ],
      ['--practice ID', 'only this practice (repeat for several)'],
      ['--from YYYY-MM', 'from the first day of this month'],
      ['--to YYYY-MM', 'to the last day of this month'],
      [
        '--period-column COL',
        'the DATE column the period applies to (default: month, snapshot_month, posted_month, service_month, then a date)',
      ],
      ['--list', 'list the named queries'],
      warehouse,
    ],
    examples: [
      'rcm export kpi_monthly --practice P001 --from 2025-01 --to 2025-12 --out kpi-2025.xlsx',
      'rcm export query:ar_over_90_claims --format csv',
      'rcm export claim_lines --format parquet --out /shared/claim_lines.parquet',
    ],
  },
  load: {
    usage:
      'rcm load INBOX [--warehouse FILE] [--json]\n       rcm load --practice ID [--profile PROFILE] FILE...',
    summary: 'load an inbox folder (<dir>/<practice_id>/...) or files for one practice',
    options: [
      warehouse,
      ['--practice ID', 'load the named files for this practice instead of an inbox folder'],
      [
        '--profile PROFILE',
        'read every CSV file with this mapping profile (e.g. ledger/charges); with --practice',
      ],
      ['--json', 'one JSON object per file instead of the summary'],
    ],
    examples: ['rcm load ~/rcm/inbox', 'rcm load --practice P001 --profile ledger/charges charges-march.csv'],
    exitCodes: '3 one or more files quarantined (the others are loaded)',
  },
  transform: {
    usage: 'rcm transform [--warehouse FILE] [-- DBT_ARGS...]',
    summary: 'run dbt against the warehouse (default: dbt build of seeds, models and data tests)',
    options: [
      warehouse,
      ['-- DBT_ARGS', 'run dbt with these arguments instead (`-- build` also runs the unit tests)'],
    ],
    examples: ['rcm transform', 'rcm transform -- build', 'rcm transform -- test --select marts'],
    exitCodes: '4 dbt failed',
  },
  reports: {
    usage: 'rcm reports [--warehouse FILE] [--out DIR]',
    summary: 'build the Evidence report site from the marts',
    options: [
      warehouse,
      ['--out DIR', 'where the site goes (default reports/build); replaced only on success'],
    ],
    examples: ['rcm reports', 'rcm reports --out /srv/rcm-site'],
    exitCodes: '5 the build failed (the previous site stays)',
  },
  serve: {
    usage: 'rcm serve [--port N] [--dir DIR]',
    summary: 'serve the built report site on 127.0.0.1',
    options: [
      ['--port N', 'port on 127.0.0.1 (default 3000)'],
      ['--dir DIR', 'the site to serve (default reports/build)'],
    ],
    examples: ['rcm serve', 'rcm serve --port 8080'],
  },
  pack: {
    usage: 'rcm pack (--month YYYY-MM | --payer ID) [--practice ID] [--dir DIR] [--out FILE]',
    summary: "print a month's owner pack (or a payer's page) from the built site as one PDF",
    options: [
      [
        '--month YYYY-MM',
        'the month of the owner pack (required for it; with --payer it only names the file)',
      ],
      ['--practice ID', 'the practice (needed when the site holds several)'],
      [
        '--payer ID',
        "print this payer's negotiation page (every month; no --month needed) instead of the pack",
      ],
      ['--dir DIR', 'the built site to print from (default reports/build)'],
      [
        '--out FILE',
        'the PDF to write (default rcm-pack-<practice>-<month>.pdf, rcm-payer-<practice>-<payer>.pdf here)',
      ],
    ],
    examples: ['rcm pack --month 2025-01 --practice P001', 'rcm pack --payer MCR --practice P001'],
    exitCodes: '1 printing failed or the page asked for another host',
  },
  demo: {
    usage: 'rcm demo [--warehouse FILE]',
    summary: 'the sample practice through the daily job: generate, load, dbt build, reports',
    options: [warehouse],
    examples: ['rcm demo'],
    exitCodes: 'as rcm run: 3 quarantined, 4 dbt failed, 5 report build failed',
  },
  init: {
    usage: 'rcm init [--warehouse FILE]',
    summary: 'create or upgrade the warehouse file',
    options: [warehouse],
    examples: ['rcm init --warehouse ~/rcm/rcm.duckdb'],
  },
  inspect: {
    usage: 'rcm inspect FILE [--json]',
    summary: 'check one X12 file (835, 837P, 277CA, 999) without loading it',
    options: [['--json', 'the parse result as JSON']],
    examples: ['rcm inspect inbox/P001/era/2024-03-01.835'],
    exitCodes: '1 the file could not be parsed',
  },
  generate: {
    usage: 'rcm generate --out DIR [options]',
    summary: 'write a synthetic practice inbox (seeded, deterministic)',
    options: [
      ['--out DIR', 'the inbox to write (DIR/<practice_id>/... and DIR/manifest.json)'],
      ['--practices N', 'number of practices'],
      ['--providers N', 'providers per practice'],
      ['--months N', 'months of activity'],
      ['--start YYYY-MM-DD', 'first day of activity'],
      ['--as-of YYYY-MM-DD', 'the day the exports are taken'],
      ['--seed S', 'the seed: same options and seed give byte-identical files'],
      [
        '--dialects LIST',
        'PM export dialects, from canonical,ledger,compact,txledger,cms1500,openemr (default: the first three)',
      ],
      ['--visits N', 'visits per provider per month'],
      ['--emit-837', 'also write 837P claim files'],
      ['--overwrite', 'replace DIR if it holds a previous generation'],
      ['--json', 'print the manifest as JSON'],
    ],
    examples: ['rcm generate --out /tmp/inbox --practices 1 --providers 1 --months 1'],
  },
  recover: {
    usage: 'rcm recover [--warehouse FILE]',
    summary: 'after a crash: set aside a log DuckDB cannot replay, re-load what the registry lacks',
    options: [warehouse],
    examples: ['rcm recover && rcm transform && rcm reports'],
    exitCodes: '3 a re-loaded file was quarantined',
  },
  backup: {
    usage: 'rcm backup [--warehouse FILE] [--to DIR]',
    summary: 'a checked, consistent copy of the warehouse',
    options: [warehouse, ['--to DIR', 'where the copy goes (default backups/ beside the warehouse)']],
    examples: ['rcm backup --to /mnt/usb/rcm-backups'],
  },
  restore: {
    usage: 'rcm restore BACKUP_FILE [--warehouse FILE]',
    summary: "put a backup in the warehouse's place (the replaced file is kept)",
    options: [warehouse],
    examples: ['rcm restore /mnt/usb/rcm-backups/rcm-2026-11-30T02-00-00.duckdb'],
  },
  'forget-patient': {
    usage: 'rcm forget-patient --practice ID --patient ACCOUNT [--warehouse FILE]',
    summary:
      "delete one patient's data across raw, the kept copies and the marts, then search all three to prove it",
    options: [
      ['--practice ID', 'the practice the patient belongs to'],
      ['--patient ACCOUNT', "the patient's account number in the PM (patients.patient_id)"],
      warehouse,
    ],
    examples: ['rcm forget-patient --practice P001 --patient 100961'],
    exitCodes: '1 also when the search still finds the patient somewhere (it names where)',
  },
  practice: {
    usage:
      'rcm practice add ID --name NAME [--timezone TZ] [--rejection-sla DAYS] [--small-cell N]\n' +
      '       rcm practice list [--json] [--warehouse FILE]\n       rcm practice show ID [--json] [--warehouse FILE]',
    summary:
      "a deployment's practices: add one to the settings file, list them, show one's settings and files",
    options: [
      ['--name NAME', 'add: the name the reports show'],
      ['--timezone TZ', 'add: IANA time zone (default America/New_York)'],
      ['--rejection-sla DAYS', 'add: business days to work a clearinghouse rejection (default 2)'],
      ['--small-cell N', 'add: suppress shared aggregates over fewer than N claims (default 11)'],
      ['--json', 'list, show: as one JSON document'],
      warehouse,
    ],
    examples: [
      'rcm practice add P002 --name "Lakeside Pediatrics" --timezone America/Denver',
      'rcm practice list',
      'rcm practice show P002',
    ],
  },
  'export-raw': {
    usage: 'rcm export-raw --out DIR [--warehouse FILE]',
    summary: 'export the raw layer to Parquet partitioned by practice, for the Spark target (docs/spark.md)',
    options: [
      [
        '--out DIR',
        'the hand-off folder, one subfolder per raw table; replaced whole once the new export is complete',
      ],
      warehouse,
    ],
    examples: ['rcm export-raw --out /mnt/shared/rcm/raw'],
  },
  'link-marts': {
    usage: 'rcm link-marts --from DIR [--warehouse FILE]',
    summary: "make Spark's Parquet marts the marts of a reports-only DuckDB file, for `rcm reports`",
    options: [
      ['--from DIR', 'the folder Spark wrote the marts to (RCM_SPARK_MARTS_DIR), one subfolder per mart'],
      warehouse,
    ],
    examples: ['rcm link-marts --from /mnt/shared/rcm/marts --warehouse /srv/rcm/reports.duckdb'],
  },
};

export function formatHelp(name: string, entry: CommandHelp): string {
  const width = Math.max(...entry.options.map(([option]) => option.length));
  const lines = [
    `usage: ${entry.usage}`,
    '',
    entry.summary,
    '',
    'options:',
    ...entry.options.map(([option, text]) => `  ${option.padEnd(width)}  ${text}`),
    `  ${'--help, -h'.padEnd(width)}  this help`,
    '',
    'examples:',
    ...entry.examples.map((example) => `  ${example}`),
    '',
    `exit codes: 0 ok, 1 error, 2 bad usage, 6 another run holds the warehouse, 7 bad settings${entry.exitCodes ? `; ${entry.exitCodes}` : ''}`,
    `(rcm ${name}: see docs/usage.md)`,
  ];
  return `${lines.join('\n')}\n`;
}
