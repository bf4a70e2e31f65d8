/** What the manifest reports of a practice once its run is over: the patterns planted over the whole run and its summary. */

import { isoOf } from '../dates.ts';
import type { Anomaly, MonthTally, PracticeSummary } from '../manifest.ts';
import type { Patient } from '../practice.ts';
import { EST_EM } from '../reference.ts';
import { UNDERPAY_CODES, UNDERPAY_PAYER, UNDERPAY_RATE_BP } from './adjudication.ts';
import type { SimContext } from './state.ts';

export interface SimResult {
  totals: MonthTally[];
  anomalies: Anomaly[];
  canaries: { patient: Patient; practiceId: string }[];
  summary: PracticeSummary;
}

/** The planted patterns that are not single events: the vendor change, the underpayment, E/M outliers. */
export function reportRunPatterns(ctx: SimContext): void {
  const { state, practice, vendorDay } = ctx;
  const P = state.practiceId;
  state.anomalies.push({
    type: 'vendor_change',
    practice_id: P,
    description:
      'The billing vendor changed: charge lag, clearinghouse rejections, denials and posting lag worsen for two months, then recover linearly over four.',
    change_date: isoOf(vendorDay),
    worst_until: isoOf(vendorDay + 59),
    recovered_by: isoOf(vendorDay + 179),
    vendor_before: 'Vendor A',
    vendor_after: 'Vendor B',
  });
  state.anomalies.push({
    type: 'underpayment',
    practice_id: P,
    description: `${UNDERPAY_PAYER} pays ${UNDERPAY_CODES.join(', ')} at ${UNDERPAY_RATE_BP / 100}% of the contracted rate for services on or after the contract date.`,
    payer_id: UNDERPAY_PAYER,
    cpt_codes: UNDERPAY_CODES,
    contract_effective_date: isoOf(ctx.contractDay),
    paid_rate_percent_of_contract: UNDERPAY_RATE_BP / 100,
    affected_lines: state.underpay.lines,
    shortfall_cents: state.underpay.shortfall,
    examples: state.underpay.examples,
  });
  for (const prov of practice.providers) {
    if (prov.emProfile === 'benchmark') continue;
    state.anomalies.push({
      type: 'em_outlier',
      practice_id: P,
      description: `Provider codes established-patient E/M levels clearly ${prov.emProfile === 'high' ? 'above' : 'below'} the family-practice benchmark.`,
      provider_id: prov.id,
      npi: prov.npi,
      direction: prov.emProfile,
      established_mix_percent: Object.fromEntries(EST_EM.map((c, i) => [c, prov.estEm[i]])),
    });
  }
}

/** The practice's month totals, anomalies, canaries and summary, as the manifest lists them. */
export function simResult(ctx: SimContext): SimResult {
  const { state, practice } = ctx;
  const P = state.practiceId;
  const months = [...state.totals.keys()].sort();
  return {
    totals: months.map((k) => state.totals.get(k) as MonthTally),
    anomalies: state.anomalies,
    canaries: practice.canaries.map((patient) => ({ patient, practiceId: P })),
    summary: {
      practice_id: P,
      name: practice.name,
      npi: practice.npi,
      tin: practice.tin,
      pm_dialect: ctx.options.dialect.name,
      traits: practice.traits,
      providers: practice.providers.map((p) => ({
        provider_id: p.id,
        npi: p.npi,
        name: `${p.first} ${p.last}, ${p.credential}`,
        em_profile: p.emProfile,
      })),
      payers: practice.payers.map((p) => ({
        payer_id: p.id,
        payer_name: p.arch.name,
        payer_type: p.arch.type,
        edi_payer_id: p.ediId,
      })),
      patients: practice.patients.length,
      claims: state.claimSeq,
      charge_lines: state.claimLines,
      reversals: state.reversals,
      reversals_total: state.reversalCount,
    },
  };
}
