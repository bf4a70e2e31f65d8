import type { RowBuffer } from '../warehouse/raw-row-buffers.ts';
import {
  ack277Statuses,
  ack999Errors,
  ack999Groups,
  ack999TransactionSets,
  claim837Claims,
  claim837Diagnoses,
  claim837ServiceLines,
  eraAdjustments,
  eraAmounts,
  eraClaimEntities,
  eraClaims,
  eraDates,
  eraImbalances,
  eraProviderAdjustments,
  eraProviderSummaries,
  eraQuantities,
  eraReferences,
  eraRemarks,
  eraRemittances,
  eraServiceLines,
  type RawTable,
} from '../x12/raw-tables.ts';

/** The raw table each kind of X12 row goes to. */
export const x12Tables = {
  remittances: eraRemittances,
  claims: eraClaims,
  lines: eraServiceLines,
  adjustments: eraAdjustments,
  remarks: eraRemarks,
  providerAdjustments: eraProviderAdjustments,
  entities: eraClaimEntities,
  references: eraReferences,
  amounts: eraAmounts,
  quantities: eraQuantities,
  dates: eraDates,
  summaries: eraProviderSummaries,
  imbalances: eraImbalances,
  statuses: ack277Statuses,
  ackSets: ack999TransactionSets,
  ackGroups: ack999Groups,
  ackErrors: ack999Errors,
  claims837: claim837Claims,
  lines837: claim837ServiceLines,
  diagnoses837: claim837Diagnoses,
} satisfies Record<string, RawTable>;

/** One writer per raw table, open for the file being loaded. */
export type X12Writers = Record<keyof typeof x12Tables, RowBuffer>;
