import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, type Principal } from '@ipfin/http';
import { shanghaiToday, type Clock } from '@ipfin/kernel';
import { Outbox } from '@ipfin/messaging';
import {
  declareOpenLicence,
  recordLicence,
  requireOwnedBy,
  takeOpenLicence,
  transferPatent,
  withdrawOpenLicence,
  type ListedPatentState,
  type OpenLicence,
  type OpenLicenceDeclaration,
  type PatentDecision,
  type PatentState,
} from './domain';
import {
  toLicenceCommand,
  toOpenLicenceDeclaration,
  toOpenLicenceTaking,
  toTransferCommand,
  withdrawalDate,
  type DeclareOpenLicenceDto,
  type RecordLicenceDto,
  type TakeOpenLicenceDto,
  type TransferPatentDto,
  type WithdrawOpenLicenceQueryDto,
} from './dto';
import { PatentRepository } from './patent.repository';
import { outboxMessages } from './patent-outbox';
import { actorOf, patentNumberParam } from './patent-request';
import { rowFromState, royaltyJson } from './patent-row';
import { licenceView, openLicenceView, transferView, type LicenceView, type OpenLicenceView, type TransferView } from './patent-view';

export type OpenLicenceResult = OpenLicenceView & { readonly number: string };

/**
 * The owner's and takers' commands on one patent. Each runs in one transaction: row-lock the
 * patent, load it with its pledges, decide with the pure domain (every refusal a named
 * DomainError), store the new state and put its events in the outbox.
 */
@Injectable()
export class PatentCommandsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly patents: PatentRepository,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async transfer(principal: Principal, rawNumber: string, dto: TransferPatentDto): Promise<TransferView> {
    const actor = actorOf(principal);
    const state = await this.decide(patentNumberParam(rawNumber), (patent) =>
      transferPatent(patent, toTransferCommand(dto, nextId(patent, 'T')), actor),
    );
    return transferView(state.number, state.transfers[state.transfers.length - 1]);
  }

  async recordLicence(principal: Principal, rawNumber: string, dto: RecordLicenceDto): Promise<LicenceView> {
    const actor = actorOf(principal);
    const state = await this.decide(patentNumberParam(rawNumber), (patent) =>
      recordLicence(patent, toLicenceCommand(dto, nextId(patent, 'L')), actor),
    );
    return licenceView(state.number, state.licences[state.licences.length - 1], shanghaiToday(this.clock));
  }

  /**
   * Declares the open licence. The same declaration again (a retried PUT) answers the current one
   * and changes nothing.
   */
  async declareOpenLicence(principal: Principal, rawNumber: string, dto: DeclareOpenLicenceDto): Promise<OpenLicenceResult> {
    const actor = actorOf(principal);
    const declaration = toOpenLicenceDeclaration(dto);
    const state = await this.decide(patentNumberParam(rawNumber), (patent) => {
      const owned = requireOwnedBy(patent, actor, 'declare an open licence');
      if (sameDeclaration(owned.openLicence, declaration)) return { state: owned, events: [] };
      return declareOpenLicence(patent, declaration, actor);
    });
    return this.openLicenceResult(state);
  }

  /** Withdraws it; withdrawing again from the same day answers the withdrawn declaration. */
  async withdrawOpenLicence(principal: Principal, rawNumber: string, query: WithdrawOpenLicenceQueryDto): Promise<OpenLicenceResult> {
    const actor = actorOf(principal);
    const withdrawal = withdrawalDate(query, shanghaiToday(this.clock));
    const state = await this.decide(patentNumberParam(rawNumber), (patent) => {
      const owned = requireOwnedBy(patent, actor, 'withdraw its open licence');
      if (owned.openLicence?.withdrawnOn?.equals(withdrawal.withdrawnOn) === true) return { state: owned, events: [] };
      return withdrawOpenLicence(patent, withdrawal, actor);
    });
    return this.openLicenceResult(state);
  }

  async takeOpenLicence(principal: Principal, rawNumber: string, dto: TakeOpenLicenceDto): Promise<LicenceView> {
    const actor = actorOf(principal);
    const state = await this.decide(patentNumberParam(rawNumber), (patent) =>
      takeOpenLicence(patent, toOpenLicenceTaking(dto, nextId(patent, 'L')), actor),
    );
    return licenceView(state.number, state.licences[state.licences.length - 1], shanghaiToday(this.clock));
  }

  private openLicenceResult(state: ListedPatentState): OpenLicenceResult {
    // Present after a declaration or withdrawal (the domain refuses both otherwise).
    const openLicence = state.openLicence as OpenLicence;
    return { number: state.number, ...openLicenceView(openLicence, shanghaiToday(this.clock)) };
  }

  /** Lock → load → decide → store → outbox, in one transaction; answers the state after. */
  private decide(number: string, decision: (state: PatentState) => PatentDecision): Promise<ListedPatentState> {
    const now = this.clock.now();
    return this.dataSource.transaction('READ COMMITTED', async (m) => {
      const loaded = (await this.patents.lockAndLoad(m, [number])).get(number) as PatentState;
      const { state, events } = decision(loaded);
      if (events.length > 0) {
        await this.patents.update(m, [rowFromState(state)]);
        await this.outbox.enqueue(m, outboxMessages(events, now));
      }
      return state;
    });
  }
}

/**
 * Ids are per patent and readable: `202310123456.6-T1` for its first transfer, `…-L3` for its third
 * licence (recorded or taken). The row lock makes the count safe.
 */
function nextId(state: PatentState, kind: 'T' | 'L'): string {
  const count = !state.listed ? 0 : kind === 'T' ? state.transfers.length : state.licences.length;
  return `${state.number}-${kind}${count + 1}`;
}

function sameDeclaration(current: OpenLicence | undefined, requested: OpenLicenceDeclaration): boolean {
  return (
    current !== undefined &&
    current.withdrawnOn === undefined &&
    current.declaredOn.equals(requested.declaredOn) &&
    current.termYears === requested.termYears &&
    JSON.stringify(royaltyJson(current.royalty)) === JSON.stringify(royaltyJson(requested.royalty)) &&
    (current.evaluationReportNo ?? '') === (requested.evaluationReportNo?.trim() ?? '') &&
    current.pledgeeConsent === (requested.pledgeeConsent === true)
  );
}
