/** The files that do not change over the simulation: providers, payers, locations, fee schedules, patients. */

import { join } from 'node:path';
import { CsvFile, type CsvRecord } from '../csv.ts';
import { FEE_SCHEDULE, type PmDialect } from '../dialects.ts';
import type { Practice } from '../practice.ts';
import type { FileLog } from '../sink.ts';

export function writeStatic(practice: Practice, dir: string, dialect: PmDialect, log: FileLog): void {
  const pmDir = join(dir, 'pm');
  const one = (entity: 'providers' | 'payers' | 'locations', rows: CsvRecord[]) => {
    const f = new CsvFile(
      join(pmDir, dialect.fileName(entity, null)),
      entity,
      dialect.entities[entity],
      dialect,
      log,
      `pm_${entity}`,
    );
    for (const row of rows) f.row(row);
    f.close();
  };
  one(
    'providers',
    practice.providers.map((p) => ({
      provider_id: p.id,
      npi: p.npi,
      first_name: p.first,
      last_name: p.last,
      credential: p.credential,
      specialty: p.specialty,
      taxonomy_code: p.taxonomy,
      start_date: p.startDay,
    })),
  );
  one(
    'payers',
    practice.payers.map((p) => ({
      payer_id: p.id,
      plan_id: p.planId,
      payer_name: p.arch.name,
      plan_name: p.arch.planName,
      payer_type: p.arch.type,
      edi_payer_id: p.ediId,
      claim_filing_indicator: p.arch.filing,
      timely_filing_days: p.arch.timelyFilingDays || null,
    })),
  );
  one(
    'locations',
    practice.locations.map((l) => ({
      location_id: l.id,
      location_name: l.name,
      address_line_1: l.street,
      city: l.city,
      state: l.state,
      zip: l.zip,
      place_of_service: l.pos,
      npi: l.npi,
    })),
  );
  for (const payer of practice.payers) {
    if (payer.fees.size === 0) continue;
    const f = new CsvFile(
      join(dir, 'contracts', FEE_SCHEDULE.fileName('fee_schedule', payer.id)),
      'fee_schedule',
      FEE_SCHEDULE.columns,
      FEE_SCHEDULE,
      log,
      'fee_schedule',
    );
    for (const [cpt, periods] of payer.fees) {
      for (const p of periods) {
        f.row({
          payer_id: payer.id,
          plan_id: payer.planId,
          payer_name: payer.arch.name,
          cpt,
          modifier: '',
          effective_from: p.from,
          effective_to: p.to,
          allowed_amount: p.cents,
        });
      }
    }
    f.close();
  }
}

export function writePatients(practice: Practice, dir: string, dialect: PmDialect, log: FileLog): void {
  const f = new CsvFile(
    join(dir, 'pm', dialect.fileName('patients', null)),
    'patients',
    dialect.entities.patients,
    dialect,
    log,
    'pm_patients',
  );
  for (const p of practice.patients) {
    f.row({
      patient_id: p.id,
      first_name: p.first,
      last_name: p.last,
      date_of_birth: p.dob,
      sex: p.sex,
      address_line_1: p.address,
      city: p.city,
      state: p.state,
      zip: p.zip,
      phone: p.phone,
      primary_payer_id: p.payer.id,
      plan_id: p.payer.planId,
      member_id: p.memberId,
      registered_date: p.registeredDay,
    });
  }
  f.close();
}
