import type { TransactionContext, TransactionParser } from './envelope.ts';
import type {
  Claim,
  ClaimRole,
  Era835Sink,
  Imbalance,
  Party,
  Position,
  Procedure,
  Remittance,
  ServiceLine,
} from './era835-records.ts';
import { shown } from './errors.ts';
import type { Segment } from './tokenizer.ts';
import { amountOrIssue, dateOrWarn, quantityOrWarn } from './values.ts';

/**
 * 835 (005010X221A1) health care claim payment/advice: typed records for every loop, with SNIP level 3
 * balancing in exact integer cents. Claims are handed out as each one ends, so memory stays bounded by one
 * claim however large the file.
 */

const LINE_RULE = 'SVC02 - sum(line CAS) = SVC03';
const CLAIM_RULE = 'CLP03 - sum(claim and line CAS) = CLP04';
const TRANSACTION_RULE = 'sum(CLP04) - sum(PLB) = BPR02';

const nullIfEmpty = (value: string | undefined): string | null =>
  value === undefined || value === '' ? null : value;

function emptyParty(): Party {
  return {
    name: null,
    idQualifier: null,
    id: null,
    address1: null,
    address2: null,
    city: null,
    state: null,
    postalCode: null,
    contactName: null,
    contactPhone: null,
  };
}

/** Parses the segments of one 835 transaction set into records handed to the sink. */
export class Era835Parser implements TransactionParser {
  private readonly remittance: Remittance;
  private party: Party | null = null;
  private partyLevel = 'header';
  private headerNumber: string | null = null;
  private claim: Claim | null = null;
  private line: ServiceLine | null = null;
  private lastClaim: {
    role: ClaimRole;
    patientControlNumber: string;
    segmentNo: number;
    payerClaimControlNumber: string | null;
  } | null = null;
  private composedWarned = false;
  private lastDateText = '';
  private lastDate: string | null = null;

  constructor(
    private readonly context: TransactionContext,
    private readonly sink: Era835Sink,
  ) {
    this.remittance = {
      interchangeControlNumber: context.interchangeControlNumber,
      groupControlNumber: context.groupControlNumber,
      transactionControlNumber: context.transactionControlNumber,
      segmentNo: context.segmentNo,
      offset: context.offset,
      version: context.version,
      transactionHandlingCode: null,
      totalPaidCents: null,
      creditDebitFlag: null,
      paymentMethod: null,
      paymentFormat: null,
      senderDfiId: null,
      senderAccountNumber: null,
      receiverDfiId: null,
      receiverAccountNumber: null,
      paymentDate: null,
      traceTypeCode: null,
      traceNumber: null,
      originatingCompanyId: null,
      originatingCompanySupplementalCode: null,
      currencyCode: null,
      receiverId: null,
      productionDate: null,
      payer: emptyParty(),
      payee: emptyParty(),
      references: [],
      providerAdjustments: [],
      summaries: [],
      claimCount: 0,
      serviceLineCount: 0,
      claimsPaidCents: 0n,
      plbTotalCents: 0n,
      transactionDifferenceCents: 0n,
      balanced: true,
      imbalanceCount: 0,
      endSegmentNo: 0,
    };
  }

  segment(s: Segment, segmentNo: number, offset: number): void {
    switch (s.id) {
      case 'CLP':
        this.startClaim(s, segmentNo, offset);
        return;
      case 'SVC':
        this.startLine(s, segmentNo, offset);
        return;
      case 'CAS':
        this.adjustment(s, segmentNo, offset);
        return;
      case 'DTM':
        this.date(s, segmentNo, offset);
        return;
      case 'REF':
        this.reference(s, segmentNo, offset);
        return;
      case 'AMT':
        this.amount(s, segmentNo, offset);
        return;
      case 'QTY':
        this.quantity(s, segmentNo, offset);
        return;
      case 'LQ':
        this.remark(s, segmentNo, offset);
        return;
      case 'NM1':
        this.entity(s, segmentNo, offset);
        return;
      case 'MIA':
      case 'MOA':
        this.adjudication(s, segmentNo, offset);
        return;
      case 'LX':
        this.closeClaim();
        this.party = null;
        this.headerNumber = nullIfEmpty(s.el(1));
        return;
      case 'TS3':
        this.summary(s, segmentNo, offset);
        return;
      case 'PLB':
        this.closeClaim();
        this.providerAdjustment(s, segmentNo, offset);
        return;
      case 'BPR':
        this.payment(s, segmentNo, offset);
        return;
      case 'TRN':
        this.remittance.traceTypeCode = nullIfEmpty(s.el(1));
        this.remittance.traceNumber = nullIfEmpty(s.el(2));
        this.remittance.originatingCompanyId = nullIfEmpty(s.el(3));
        this.remittance.originatingCompanySupplementalCode = nullIfEmpty(s.el(4));
        return;
      case 'CUR':
        this.remittance.currencyCode = nullIfEmpty(s.el(2));
        return;
      case 'N1':
        this.name(s);
        return;
      case 'N3':
        if (this.party && !this.claim) {
          this.party.address1 = nullIfEmpty(s.el(1));
          this.party.address2 = nullIfEmpty(s.el(2));
        }
        return;
      case 'N4':
        if (this.party && !this.claim) {
          this.party.city = nullIfEmpty(s.el(1));
          this.party.state = nullIfEmpty(s.el(2));
          this.party.postalCode = nullIfEmpty(s.el(3));
        }
        return;
      case 'PER':
        if (
          this.party &&
          !this.claim &&
          this.party.contactName === null &&
          this.party.contactPhone === null
        ) {
          this.party.contactName = nullIfEmpty(s.el(2));
          for (let i = 3; i + 1 < s.count; i += 2) {
            if (s.el(i) === 'TE') {
              this.party.contactPhone = nullIfEmpty(s.el(i + 1));
              break;
            }
          }
        }
        return;
      default:
        // TS2, RDM, N2 and unknown segments carry nothing the raw tables keep.
        return;
    }
  }

  end(segmentNo: number, offset: number): void {
    this.closeClaim();
    const r = this.remittance;
    r.endSegmentNo = segmentNo;
    if (r.totalPaidCents === null) {
      this.context.issue(
        'warning',
        'x12.835.no_bpr',
        `835 ${shown(r.transactionControlNumber)} has no valid BPR02 total; balanced against 0`,
        r.segmentNo,
        r.offset,
      );
    }
    const computed = r.claimsPaidCents - r.plbTotalCents;
    const stated = r.totalPaidCents ?? 0n;
    r.transactionDifferenceCents = computed - stated;
    if (r.transactionDifferenceCents !== 0n) {
      this.recordImbalance(
        'transaction',
        this.bprPosition ?? { segmentNo, offset },
        null,
        null,
        stated,
        computed,
        TRANSACTION_RULE,
      );
    }
    this.sink.remittance?.(r);
  }

  private bprPosition: Position | null = null;

  private payment(s: Segment, segmentNo: number, offset: number): void {
    const r = this.remittance;
    this.bprPosition = { segmentNo, offset };
    r.transactionHandlingCode = nullIfEmpty(s.el(1));
    r.totalPaidCents = this.moneyAt(s, 2, 'BPR02', segmentNo, offset, true);
    r.creditDebitFlag = nullIfEmpty(s.el(3));
    r.paymentMethod = nullIfEmpty(s.el(4));
    r.paymentFormat = nullIfEmpty(s.el(5));
    r.senderDfiId = nullIfEmpty(s.el(7));
    r.senderAccountNumber = nullIfEmpty(s.el(9));
    r.receiverDfiId = nullIfEmpty(s.el(13));
    r.receiverAccountNumber = nullIfEmpty(s.el(15));
    r.paymentDate = this.dateValue(s.el(16), 'BPR16', segmentNo, offset);
  }

  private name(s: Segment): void {
    this.closeClaim();
    const code = s.el(1);
    if (code === 'PR') {
      this.party = this.remittance.payer;
      this.partyLevel = 'payer';
    } else if (code === 'PE') {
      this.party = this.remittance.payee;
      this.partyLevel = 'payee';
    } else {
      this.party = null;
      return;
    }
    this.party.name = nullIfEmpty(s.el(2));
    this.party.idQualifier = nullIfEmpty(s.el(3));
    this.party.id = nullIfEmpty(s.el(4));
  }

  private summary(s: Segment, segmentNo: number, offset: number): void {
    this.remittance.summaries.push({
      segmentNo,
      offset,
      headerNumber: this.headerNumber,
      providerId: nullIfEmpty(s.el(1)),
      facilityTypeCode: nullIfEmpty(s.el(2)),
      fiscalPeriodDate: this.dateValue(s.el(3), 'TS303', segmentNo, offset),
      claimCount: nullIfEmpty(s.el(4)),
      totalChargeCents: this.moneyAt(s, 5, 'TS305', segmentNo, offset),
    });
  }

  private startClaim(s: Segment, segmentNo: number, offset: number): void {
    this.closeClaim();
    this.party = null;
    const status = s.el(2) ?? '';
    this.claim = {
      interchangeControlNumber: this.context.interchangeControlNumber,
      groupControlNumber: this.context.groupControlNumber,
      transactionControlNumber: this.context.transactionControlNumber,
      segmentNo,
      offset,
      headerNumber: this.headerNumber,
      patientControlNumber: s.el(1) ?? '',
      statusCode: status,
      chargeCents: this.moneyAt(s, 3, 'CLP03', segmentNo, offset, true),
      paidCents: this.moneyAt(s, 4, 'CLP04', segmentNo, offset, true),
      patientResponsibilityCents: this.moneyAt(s, 5, 'CLP05', segmentNo, offset),
      claimFilingIndicator: nullIfEmpty(s.el(6)),
      payerClaimControlNumber: nullIfEmpty(s.el(7)),
      facilityTypeCode: nullIfEmpty(s.el(8)),
      frequencyCode: nullIfEmpty(s.el(9)),
      drgCode: nullIfEmpty(s.el(11)),
      drgWeight: nullIfEmpty(s.el(12)),
      dischargeFraction: nullIfEmpty(s.el(13)),
      role: status === '22' ? 'reversal' : 'original',
      reversalSegmentNo: null,
      originalPayerClaimControlNumber: null,
      entities: [],
      inpatient: null,
      outpatient: null,
      statementFromDate: null,
      statementToDate: null,
      receivedDate: null,
      coverageExpirationDate: null,
      adjustments: [],
      lines: [],
      references: [],
      amounts: [],
      quantities: [],
      dates: [],
      differenceCents: 0n,
    };
    if (!s.el(1))
      this.context.issue(
        'warning',
        'x12.835.no_clp01',
        'CLP01 patient control number is empty',
        segmentNo,
        offset,
      );
  }

  private startLine(s: Segment, segmentNo: number, offset: number): void {
    const claim = this.claim;
    if (!claim) {
      this.context.issue(
        'warning',
        'x12.835.orphan_segment',
        'SVC outside a claim (no CLP before it); ignored',
        segmentNo,
        offset,
      );
      return;
    }
    this.closeLine();
    const original = s.size(6) > 0 ? this.procedureAt(s, 6, segmentNo, offset) : null;
    this.line = {
      segmentNo,
      offset,
      lineNumber: claim.lines.length + 1,
      procedure: this.procedureAt(s, 1, segmentNo, offset),
      chargeCents: this.moneyAt(s, 2, 'SVC02', segmentNo, offset, true),
      paidCents: this.moneyAt(s, 3, 'SVC03', segmentNo, offset, true),
      revenueCode: nullIfEmpty(s.el(4)),
      units: quantityOrWarn(this.context, s.el(5), 'SVC05', segmentNo, offset),
      originalProcedure: original,
      originalUnits: quantityOrWarn(this.context, s.el(7), 'SVC07', segmentNo, offset),
      serviceDate: null,
      serviceFromDate: null,
      serviceToDate: null,
      lineControlNumber: null,
      allowedCents: null,
      adjustments: [],
      remarks: [],
      references: [],
      amounts: [],
      quantities: [],
      dates: [],
      differenceCents: 0n,
    };
  }

  /** Splits a composite (SVC01, SVC06); tolerates files that use another component separator than ISA16. */
  /** SVC01 / SVC06, split straight from the segment; other delimiters go through composite(). */
  private procedureAt(s: Segment, index: number, segmentNo: number, offset: number): Procedure {
    const direct = s.components(index, this.context.separators.component);
    const parts = direct.length > 1 ? direct : this.composite(s.el(index), segmentNo, offset);
    return {
      qualifier: nullIfEmpty(parts[0]),
      code: nullIfEmpty(parts[1]),
      modifiers: [nullIfEmpty(parts[2]), nullIfEmpty(parts[3]), nullIfEmpty(parts[4]), nullIfEmpty(parts[5])],
      description: nullIfEmpty(parts[6]),
    };
  }

  private composite(value: string, segmentNo: number, offset: number): string[] {
    const separator = this.context.separators.component;
    if (value.includes(separator)) return value.split(separator);
    // A two-character qualifier followed by a delimiter other than ISA16 ("HC>99213" in a file whose ISA16 is ":").
    const foreign = value.charAt(2);
    if (value.length > 3 && /^[A-Z0-9]{2}$/.test(value.slice(0, 2)) && '>:|^\\!'.includes(foreign)) {
      if (!this.composedWarned) {
        this.composedWarned = true;
        this.context.issue(
          'warning',
          'x12.component_separator',
          `composite ${shown(value)} uses ${shown(foreign)}, not the component separator ${shown(separator)}; split on ${shown(foreign)}`,
          segmentNo,
          offset,
        );
      }
      return value.split(foreign);
    }
    return [value];
  }

  private adjustment(s: Segment, segmentNo: number, offset: number): void {
    const claim = this.claim;
    if (!claim) {
      this.context.issue(
        'warning',
        'x12.835.orphan_segment',
        'CAS outside a claim; ignored',
        segmentNo,
        offset,
      );
      return;
    }
    const line = this.line;
    const level = line ? 'line' : 'claim';
    const target = line ? line.adjustments : claim.adjustments;
    const group = s.el(1) ?? '';
    if (group !== 'CO' && group !== 'OA' && group !== 'PI' && group !== 'PR' && group !== 'CR') {
      this.context.issue(
        'warning',
        'x12.835.cas_group',
        `CAS01 group code ${shown(group)} is not CO, OA, PI or PR`,
        segmentNo,
        offset,
      );
    }
    for (let triplet = 0; triplet < 6; triplet++) {
      const base = 2 + triplet * 3;
      if (s.size(base) === 0 && s.size(base + 1) === 0) continue;
      target.push({
        segmentNo,
        offset,
        level,
        tripletIndex: triplet + 1,
        groupCode: group,
        reasonCode: s.el(base),
        amountCents: this.moneyAt(s, base + 1, CAS_ELEMENTS[base + 1] as string, segmentNo, offset),
        quantity:
          s.size(base + 2) === 0
            ? null
            : quantityOrWarn(
                this.context,
                s.el(base + 2),
                CAS_ELEMENTS[base + 2] as string,
                segmentNo,
                offset,
              ),
      });
    }
  }

  private date(s: Segment, segmentNo: number, offset: number): void {
    const qualifier = s.el(1) ?? '';
    const value = this.dateValue(s.el(2), 'DTM02', segmentNo, offset, qualifier);
    const line = this.line;
    if (line) {
      line.dates.push({ qualifier, date: value, segmentNo, offset });
      if (qualifier === '472') line.serviceDate = value;
      else if (qualifier === '150') line.serviceFromDate = value;
      else if (qualifier === '151') line.serviceToDate = value;
      return;
    }
    const claim = this.claim;
    if (claim) {
      claim.dates.push({ qualifier, date: value, segmentNo, offset });
      if (qualifier === '232') claim.statementFromDate = value;
      else if (qualifier === '233') claim.statementToDate = value;
      else if (qualifier === '050') claim.receivedDate = value;
      else if (qualifier === '036') claim.coverageExpirationDate = value;
      return;
    }
    if (qualifier === '405') this.remittance.productionDate = value;
  }

  private reference(s: Segment, segmentNo: number, offset: number): void {
    const qualifier = s.el(1) ?? '';
    const value = s.el(2) ?? '';
    if (this.line) {
      this.line.references.push({ level: 'line', qualifier, value, segmentNo, offset });
      if (qualifier === '6R') this.line.lineControlNumber = value || null;
    } else if (this.claim) {
      this.claim.references.push({ level: 'claim', qualifier, value, segmentNo, offset });
      if (qualifier === 'F8') this.claim.originalPayerClaimControlNumber = value || null;
    } else {
      const level = this.party ? this.partyLevel : 'header';
      this.remittance.references.push({ level, qualifier, value, segmentNo, offset });
      if (qualifier === 'EV' && level === 'header') this.remittance.receiverId = value || null;
    }
  }

  private amount(s: Segment, segmentNo: number, offset: number): void {
    const qualifier = s.el(1) ?? '';
    const cents = this.moneyAt(s, 2, 'AMT02', segmentNo, offset, false, qualifier);
    if (this.line) {
      this.line.amounts.push({ qualifier, amountCents: cents, segmentNo, offset });
      if (qualifier === 'B6') this.line.allowedCents = cents;
    } else if (this.claim) {
      this.claim.amounts.push({ qualifier, amountCents: cents, segmentNo, offset });
    }
  }

  private quantity(s: Segment, segmentNo: number, offset: number): void {
    const record = {
      qualifier: s.el(1),
      quantity: quantityOrWarn(this.context, s.el(2), 'QTY02', segmentNo, offset),
      segmentNo,
      offset,
    };
    if (this.line) this.line.quantities.push(record);
    else if (this.claim) this.claim.quantities.push(record);
  }

  private remark(s: Segment, segmentNo: number, offset: number): void {
    if (!this.line) {
      this.context.issue(
        'warning',
        'x12.835.orphan_segment',
        'LQ outside a service line; ignored',
        segmentNo,
        offset,
      );
      return;
    }
    this.line.remarks.push({ segmentNo, offset, qualifier: s.el(1) ?? '', code: s.el(2) ?? '' });
  }

  private entity(s: Segment, segmentNo: number, offset: number): void {
    if (!this.claim) return;
    this.claim.entities.push({
      segmentNo,
      offset,
      entityCode: s.el(1) ?? '',
      entityType: nullIfEmpty(s.el(2)),
      lastName: nullIfEmpty(s.el(3)),
      firstName: nullIfEmpty(s.el(4)),
      middleName: nullIfEmpty(s.el(5)),
      suffix: nullIfEmpty(s.el(7)),
      idQualifier: nullIfEmpty(s.el(8)),
      id: nullIfEmpty(s.el(9)),
    });
  }

  private adjudication(s: Segment, segmentNo: number, offset: number): void {
    if (!this.claim) {
      this.context.issue(
        'warning',
        'x12.835.orphan_segment',
        `${s.id} outside a claim; ignored`,
        segmentNo,
        offset,
      );
      return;
    }
    const values = s
      .elements()
      .slice(1)
      .map((value) => (value === '' ? null : value));
    if (s.id === 'MIA') this.claim.inpatient = values;
    else this.claim.outpatient = values;
  }

  private providerAdjustment(s: Segment, segmentNo: number, offset: number): void {
    const providerId = nullIfEmpty(s.el(1));
    const fiscalPeriodDate = this.dateValue(s.el(2), 'PLB02', segmentNo, offset);
    for (let pair = 0; pair < 6; pair++) {
      const base = 3 + pair * 2;
      const reasonComposite = s.el(base);
      const amount = s.el(base + 1);
      if (!reasonComposite && !amount) continue;
      const parts = this.composite(reasonComposite ?? '', segmentNo, offset);
      const cents = amountOrIssue(this.context, amount, `PLB${pad(base + 1)}`, segmentNo, offset, true);
      this.remittance.providerAdjustments.push({
        segmentNo,
        offset,
        pairIndex: pair + 1,
        providerId,
        fiscalPeriodDate,
        reasonCode: parts[0] ?? '',
        reference: nullIfEmpty(parts[1]),
        amountCents: cents,
      });
      if (cents !== null) this.remittance.plbTotalCents += cents;
    }
  }

  private closeLine(): void {
    const line = this.line;
    const claim = this.claim;
    if (!line || !claim) return;
    this.line = null;
    let adjusted = 0n;
    for (const adjustment of line.adjustments) adjusted += adjustment.amountCents ?? 0n;
    const computed = (line.chargeCents ?? 0n) - adjusted;
    const stated = line.paidCents ?? 0n;
    line.differenceCents = computed - stated;
    if (line.differenceCents !== 0n) {
      this.recordImbalance(
        'line',
        line,
        claim.patientControlNumber,
        claim.segmentNo,
        stated,
        computed,
        LINE_RULE,
      );
    }
    claim.lines.push(line);
  }

  private closeClaim(): void {
    this.closeLine();
    const claim = this.claim;
    if (!claim) return;
    this.claim = null;
    let adjusted = 0n;
    for (const adjustment of claim.adjustments) adjusted += adjustment.amountCents ?? 0n;
    for (const line of claim.lines)
      for (const adjustment of line.adjustments) adjusted += adjustment.amountCents ?? 0n;
    const computed = (claim.chargeCents ?? 0n) - adjusted;
    const stated = claim.paidCents ?? 0n;
    claim.differenceCents = computed - stated;
    if (claim.differenceCents !== 0n) {
      this.recordImbalance(
        'claim',
        claim,
        claim.patientControlNumber,
        claim.segmentNo,
        stated,
        computed,
        CLAIM_RULE,
      );
    }
    this.linkReversal(claim);
    const r = this.remittance;
    r.claimCount++;
    r.serviceLineCount += claim.lines.length;
    r.claimsPaidCents += stated;
    this.sink.claim?.(claim);
  }

  /** A claim right after a reversal of the same patient control number is its correction. */
  private linkReversal(claim: Claim): void {
    const previous = this.lastClaim;
    if (claim.role === 'reversal') {
      claim.originalPayerClaimControlNumber ??= claim.payerClaimControlNumber;
    } else if (
      previous?.role === 'reversal' &&
      previous.patientControlNumber === claim.patientControlNumber
    ) {
      claim.role = 'correction';
      claim.reversalSegmentNo = previous.segmentNo;
      claim.originalPayerClaimControlNumber ??= previous.payerClaimControlNumber;
    } else if (claim.originalPayerClaimControlNumber !== null) {
      claim.role = 'correction';
    }
    this.lastClaim = {
      role: claim.role,
      patientControlNumber: claim.patientControlNumber,
      segmentNo: claim.segmentNo,
      payerClaimControlNumber: claim.originalPayerClaimControlNumber ?? claim.payerClaimControlNumber,
    };
  }

  private recordImbalance(
    level: Imbalance['level'],
    position: Position,
    patientControlNumber: string | null,
    claimSegmentNo: number | null,
    stated: bigint,
    computed: bigint,
    rule: string,
  ): void {
    const r = this.remittance;
    r.balanced = false;
    r.imbalanceCount++;
    this.sink.imbalance?.({
      interchangeControlNumber: r.interchangeControlNumber,
      groupControlNumber: r.groupControlNumber,
      transactionControlNumber: r.transactionControlNumber,
      segmentNo: position.segmentNo,
      offset: position.offset,
      level,
      patientControlNumber,
      claimSegmentNo,
      statedCents: stated,
      computedCents: computed,
      differenceCents: computed - stated,
      rule,
    });
  }

  /** An amount element read straight from the segment; malformed ones go through money() for the report. */
  private moneyAt(
    s: Segment,
    index: number,
    element: string,
    segmentNo: number,
    offset: number,
    required = false,
    qualifier?: string,
  ): bigint | null {
    const cents = s.cents(index);
    if (cents !== undefined) return cents;
    return amountOrIssue(this.context, s.el(index), named(element, qualifier), segmentNo, offset, required);
  }

  private dateValue(
    text: string | undefined,
    element: string,
    segmentNo: number,
    offset: number,
    qualifier?: string,
  ): string | null {
    // Dates repeat (every line of a claim, every claim of a run): the last one is kept.
    if (text !== undefined && text !== '' && text === this.lastDateText) return this.lastDate;
    const date = dateOrWarn(this.context, text, named(element, qualifier), segmentNo, offset);
    if (date !== null) {
      this.lastDateText = text as string;
      this.lastDate = date;
    }
    return date;
  }
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** CAS element names by position (CAS03 …), made once rather than for every triplet. */
const CAS_ELEMENTS = Array.from({ length: 20 }, (_, i) => `CAS${pad(i)}`);

/** An element's name in a message, with the qualifier of its segment when it has one: "DTM02 (472)". */
function named(element: string, qualifier?: string): string {
  return qualifier === undefined ? element : `${element} (${qualifier})`;
}
