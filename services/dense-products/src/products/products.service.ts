import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK, transactionWithRetry, type Principal } from '@ipfin/http';
import { BusinessDate, NotFound, shanghaiDateOf, type Clock } from '@ipfin/kernel';
import { Outbox } from '@ipfin/messaging';
import { DataSource, EntityManager } from 'typeorm';
import { OwnershipRepository } from '../ownership/ownership.repository';
import { RewardLedger } from '../rewards/reward-ledger';
import { RewardRepository } from '../rewards/reward.repository';
import { resolveFiler } from './domain/filing-enterprise';
import { fileProduct, recogniseProduct, rejectProduct, withdrawRecognition } from './domain/product';
import { ProductStatusConflict } from './domain/product.errors';
import { toFilingEnterprise, toProductFiling, type FileProductDto } from './dto/file-product.dto';
import type { ProductDetailView } from './dto/product-view.dto';
import type { RecogniseProductDto } from './dto/recognise-product.dto';
import type { RejectProductDto } from './dto/reject-product.dto';
import type { WithdrawRecognitionDto } from './dto/withdraw-recognition.dto';
import { assertDecider, canDecide } from './product-access';
import {
  filedMessage,
  recognisedMessage,
  recognitionWithdrawnMessage,
  rejectedMessage,
  toOutboxMessages,
  type ProductMessage,
} from './product-messages';
import { productDetailView } from './product-view';
import { ProductRepository, type ProductRecord } from './product.repository';

/**
 * The writes of products, each ONE transaction: lock → load → pure domain → write → outbox.
 * Lock order, everywhere: the enterprise (`ProductRepository.lockEnterprises`, an advisory lock on
 * its USCC, the key of `ipfin.products.v1`), then its reward year (`reward_years` row), then the
 * product row; reward changes to the year's other products happen only under the year's lock.
 * Every write takes the enterprise's lock before it reads anything that decides its events (only
 * the product's enterprise, which never changes, is read before), so the writes of one enterprise
 * — filings, rejections, recognitions and withdrawals of any year — run one after the other and
 * their events reach the outbox in commit order, in any number of processes.
 */
@Injectable()
export class ProductsService {
  private readonly logger = new Logger(ProductsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly products: ProductRepository,
    private readonly ownership: OwnershipRepository,
    private readonly rewards: RewardRepository,
    private readonly ledger: RewardLedger,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Files a product for the enterprise (or, by an agency, on its behalf). The patents are judged
   * against the ownership view as committed now; a concurrent duplicate loses on the unique index
   * and, run again, is refused as the duplicate it is.
   */
  file(principal: Principal, dto: FileProductDto): Promise<ProductDetailView> {
    const filer = resolveFiler(
      principal,
      dto.enterprise === undefined ? undefined : toFilingEnterprise(dto.enterprise),
    );
    const filing = toProductFiling(dto, filer);
    return this.inTransaction('file', async (m, now) => {
      await this.products.lockEnterprises(m, [filing.enterprise.uscc]);
      const earlierFilings = await this.products.earlierFilings(m, filing.enterprise.uscc, filing.filedOn.year);
      const ownership = await this.ownership.lookup(m, filing.patents);
      const product = fileProduct({ id: randomUUID(), filing, earlierFilings, ownership, today: shanghaiDateOf(now) });
      await this.products.insert(m, product, { filedBy: principal.sub, now });
      await this.emit(m, [filedMessage(product, now)], now);
      return this.detail(m, product.id);
    });
  }

  /**
   * Records the recognition and computes the reward under the yearly cap of the enterprise. The
   * same recognition sent again (same date and certificate) answers the product as it stands.
   */
  recognise(principal: Principal, id: string, dto: RecogniseProductDto): Promise<ProductDetailView> {
    assertDecider(principal);
    const recognisedOn = BusinessDate.parse(dto.recognisedOn);
    const certificateNo = dto.certificateNo.trim();
    return this.inTransaction('recognise', async (m, now) => {
      const found = await this.decidable(m, principal, id);
      await this.products.lockEnterprises(m, [found.product.enterprise.uscc]);
      await this.rewards.lockYear(m, found.product.enterprise.uscc, recognisedOn.year);
      const record = await this.locked(m, id);
      const r = record.product.recognition;
      if (
        record.product.status === 'recognised' &&
        r?.certificateNo === certificateNo &&
        r.recognisedOn.equals(recognisedOn)
      ) {
        return this.detail(m, id);
      }
      const certificateHolder = await this.products.certificateHolder(m, certificateNo);
      const recognised = recogniseProduct(
        record.product,
        { recognisedOn, certificateNo },
        { today: shanghaiDateOf(now), certificateHolder },
      );
      const sequence = record.lastSequence + 1;
      const line = await this.rewards.nextLine(m);
      await this.products.saveDecision(m, recognised, { lastSequence: sequence, recognitionLine: line, now });
      const rewardMessages = await this.ledger.recompute(m, recognised.enterprise.uscc, recognisedOn.year, now);
      await this.emit(m, [recognisedMessage(recognised, sequence, now), ...rewardMessages], now);
      return this.detail(m, id);
    });
  }

  /** Records a rejection of a filed product; the same rejection sent again answers the product as it stands. */
  reject(principal: Principal, id: string, dto: RejectProductDto): Promise<ProductDetailView> {
    assertDecider(principal);
    const rejectedOn = BusinessDate.parse(dto.rejectedOn);
    const reason = dto.reason.trim();
    return this.inTransaction('reject', async (m, now) => {
      const found = await this.decidable(m, principal, id);
      await this.products.lockEnterprises(m, [found.product.enterprise.uscc]);
      const record = await this.locked(m, id);
      const j = record.product.rejection;
      if (record.product.status === 'rejected' && j?.reason === reason && j.rejectedOn.equals(rejectedOn)) {
        return this.detail(m, id);
      }
      const rejected = rejectProduct(record.product, { rejectedOn, reason }, { today: shanghaiDateOf(now) });
      const sequence = record.lastSequence + 1;
      await this.products.saveDecision(m, rejected, { lastSequence: sequence, now });
      await this.emit(m, [rejectedMessage(rejected, sequence, now)], now);
      return this.detail(m, id);
    });
  }

  /**
   * Withdraws a recognition: the product's reward goes back and the cap it frees goes to the
   * enterprise's next recognitions of that year still below the full amount, earliest first.
   */
  withdrawRecognition(principal: Principal, id: string, dto: WithdrawRecognitionDto): Promise<ProductDetailView> {
    assertDecider(principal);
    const withdrawnOn = BusinessDate.parse(dto.withdrawnOn);
    const reason = dto.reason.trim();
    return this.inTransaction('withdraw recognition', async (m, now) => {
      const found = await this.decidable(m, principal, id);
      // The recognition (and so its reward year) never changes once recorded; never recognised: 409.
      const year = found.product.recognition?.year;
      if (year === undefined) throw new ProductStatusConflict(id, 'withdraw-recognition', found.product.status);
      await this.products.lockEnterprises(m, [found.product.enterprise.uscc]);
      await this.rewards.lockYear(m, found.product.enterprise.uscc, year);
      const record = await this.locked(m, id);
      const w = record.product.withdrawal;
      if (record.product.status === 'withdrawn' && w?.reason === reason && w.withdrawnOn.equals(withdrawnOn)) {
        return this.detail(m, id);
      }
      const withdrawn = withdrawRecognition(record.product, { withdrawnOn, reason }, { today: shanghaiDateOf(now) });
      const sequence = record.lastSequence + 1;
      await this.products.saveDecision(m, withdrawn, { lastSequence: sequence, now });
      const rewardMessages = await this.ledger.recompute(m, withdrawn.enterprise.uscc, year, now);
      await this.emit(m, [recognitionWithdrawnMessage(withdrawn, sequence, now), ...rewardMessages], now);
      return this.detail(m, id);
    });
  }

  /**
   * The product if this regulator may decide on it: an unlocked read, used only to know which
   * enterprise to lock (and the reward year of a recognition); neither ever changes, and
   * everything else is read again under the locks.
   */
  private async decidable(m: EntityManager, principal: Principal, id: string): Promise<ProductRecord> {
    const found = await this.products.find(m, id);
    if (found === null || !canDecide(principal, found.product)) throw new NotFound(`Product ${id}`);
    return found;
  }

  /** The product locked for the rest of the transaction (after `decidable` and its enterprise's lock). */
  private async locked(m: EntityManager, id: string): Promise<ProductRecord> {
    const record = await this.products.lock(m, id);
    if (record === null) throw new NotFound(`Product ${id}`);
    return record;
  }

  private async emit(m: EntityManager, messages: readonly ProductMessage[], now: Date): Promise<void> {
    const ceIds = await this.outbox.enqueue(m, toOutboxMessages(messages, now));
    await this.products.appendHistory(m, messages, ceIds, now);
  }

  private async detail(m: EntityManager, id: string): Promise<ProductDetailView> {
    const record = await this.products.find(m, id);
    if (record === null) throw new NotFound(`Product ${id}`);
    return productDetailView(record, await this.products.history(m, id));
  }

  /** A concurrent duplicate filing or certificate, a serialization failure or a deadlock: run again. */
  private inTransaction<T>(what: string, work: (m: EntityManager, now: Date) => Promise<T>): Promise<T> {
    return transactionWithRetry(this.dataSource, (m) => work(m, this.clock.now()), {
      onRetry: (code, attempt) => this.logger.warn(`${what} raced a concurrent transaction (${code}); attempt ${attempt}`),
    });
  }
}
