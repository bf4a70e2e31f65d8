/**
 * Independent readers for the generator's output, written for the tests only: they share no code with
 * etl/generate, so a bookkeeping error in the generator cannot hide itself.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Decimal text → integer cents, without floating point. Accepts 12, 12.5, -12.50, $1,234.56, ($12.00), 12.00- */
export function cents(text: string): number {
  let s = text.trim();
  if (s === '') throw new Error('empty amount');
  let neg = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    neg = true;
    s = s.slice(1, -1);
  }
  if (s.endsWith('-')) {
    neg = !neg;
    s = s.slice(0, -1);
  }
  if (s.startsWith('-')) {
    neg = !neg;
    s = s.slice(1);
  }
  s = s.replace('$', '').replaceAll(',', '');
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) throw new Error(`not an amount: ${text}`);
  const v = Number(m[1]) * 100 + Number(`${m[2] ?? ''}00`.slice(0, 2));
  return neg ? -v : v;
}

/** RFC 4180 CSV with optional BOM and CRLF. */
export function readCsv(path: string): string[][] {
  let text = readFileSync(path, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

export interface X12Segment {
  id: string;
  el: string[];
}

export interface X12File {
  segments: X12Segment[];
  component: string;
  errors: string[];
}

/** Tokenise with the separators the ISA declares and check ISA/IEA, GS/GE and ST/SE counts and controls. */
export function readX12(text: string): X12File {
  const errors: string[] = [];
  if (!text.startsWith('ISA')) throw new Error('no ISA');
  const element = text[3] as string;
  const component = text[104] as string;
  const terminator = text[105] as string;
  const segments = text
    .split(terminator)
    .map((s) => s.replace(/^[\r\n]+/, ''))
    .filter((s) => s.length > 0)
    .map((s) => {
      const parts = s.split(element);
      return { id: parts[0] as string, el: parts };
    });
  let isaCtl = '';
  let groups = 0;
  let gsCtl = '';
  let sets = 0;
  let stCtl = '';
  let stStart = -1;
  segments.forEach((s, i) => {
    switch (s.id) {
      case 'ISA':
        isaCtl = s.el[13] as string;
        groups = 0;
        if (text.indexOf(terminator) !== 105) errors.push('ISA is not 106 characters');
        break;
      case 'GS':
        gsCtl = s.el[6] as string;
        groups++;
        sets = 0;
        break;
      case 'ST':
        stCtl = s.el[2] as string;
        stStart = i;
        sets++;
        break;
      case 'SE':
        if (Number(s.el[1]) !== i - stStart + 1) errors.push(`SE01 ${s.el[1]} != ${i - stStart + 1}`);
        if (s.el[2] !== stCtl) errors.push('SE02 != ST02');
        break;
      case 'GE':
        if (Number(s.el[1]) !== sets) errors.push(`GE01 ${s.el[1]} != ${sets}`);
        if (s.el[2] !== gsCtl) errors.push('GE02 != GS06');
        break;
      case 'IEA':
        if (Number(s.el[1]) !== groups) errors.push(`IEA01 ${s.el[1]} != ${groups}`);
        if (s.el[2] !== isaCtl) errors.push('IEA02 != ISA13');
        break;
    }
  });
  return { segments, component, errors };
}

export interface Check835 {
  bpr: number;
  paymentDate: string;
  trace: string;
  claims: { id: string; status: string; charge: number; paid: number }[];
  paid: number;
  plb: number;
  cas: Record<string, number>;
  errors: string[];
}

/** 835 balancing per the TR3: service lines, claims, and BPR02 = ΣCLP04 − ΣPLB. */
export function check835(text: string): Check835 {
  const f = readX12(text);
  const errors = [...f.errors];
  const out: Check835 = { bpr: 0, paymentDate: '', trace: '', claims: [], paid: 0, plb: 0, cas: {}, errors };
  let claim: { id: string; status: string; charge: number; paid: number; adj: number } | null = null;
  let line: { charge: number; paid: number; adj: number } | null = null;
  const closeLine = () => {
    if (line && line.charge - line.adj !== line.paid)
      errors.push(`line of ${claim?.id}: ${line.charge} - ${line.adj} != ${line.paid}`);
    line = null;
  };
  const closeClaim = () => {
    closeLine();
    if (claim) {
      if (claim.charge - claim.adj !== claim.paid)
        errors.push(`claim ${claim.id}: ${claim.charge} - ${claim.adj} != ${claim.paid}`);
      out.claims.push({ id: claim.id, status: claim.status, charge: claim.charge, paid: claim.paid });
    }
    claim = null;
  };
  for (const s of f.segments) {
    const e = s.el;
    switch (s.id) {
      case 'BPR':
        out.bpr = cents(e[2] as string);
        out.paymentDate = e[16] as string;
        break;
      case 'TRN':
        out.trace = e[2] as string;
        break;
      case 'CLP':
        closeClaim();
        claim = {
          id: e[1] as string,
          status: e[2] as string,
          charge: cents(e[3] as string),
          paid: cents(e[4] as string),
          adj: 0,
        };
        out.paid += claim.paid;
        break;
      case 'SVC':
        closeLine();
        line = { charge: cents(e[2] as string), paid: cents(e[3] as string), adj: 0 };
        break;
      case 'CAS':
        for (let k = 2; k < e.length; k += 3) {
          if (!e[k + 1]) continue;
          const a = cents(e[k + 1] as string);
          out.cas[e[1] as string] = (out.cas[e[1] as string] ?? 0) + a;
          if (line) line.adj += a;
          if (claim) claim.adj += a;
        }
        break;
      case 'PLB':
        closeClaim();
        for (let k = 4; k < e.length; k += 2) out.plb += cents(e[k] as string);
        break;
      case 'SE':
        closeClaim();
        break;
    }
  }
  if (out.paid - out.plb !== out.bpr) errors.push(`BPR02 ${out.bpr} != ΣCLP04 ${out.paid} - ΣPLB ${out.plb}`);
  return out;
}
