import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Page } from '@ipfin/http';
import { shanghaiToday, type Clock } from '@ipfin/kernel';
import { patentNotFound } from './domain';
import { toSearchCriteria, type SearchPatentsQueryDto } from './dto';
import { PatentRepository } from './patent.repository';
import { patentNumberParam } from './patent-request';
import { stateFromRow } from './patent-row';
import { criteriaHash, decodeSearchCursor, encodeSearchCursor } from './patent-search';
import { patentDetail, patentSummary, type PatentDetail, type PatentSummary } from './patent-view';

/** The public reads: search over the catalogue and one patent in full. */
@Injectable()
export class PatentQueriesService {
  constructor(
    private readonly patents: PatentRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async search(query: SearchPatentsQueryDto): Promise<Page<PatentSummary>> {
    const criteria = toSearchCriteria(query);
    const after = criteria.cursor === undefined ? undefined : decodeSearchCursor(criteria.cursor, criteria);
    const today = shanghaiToday(this.clock);
    const hits = await this.patents.search(criteria, today.toString(), after);
    const page = hits.slice(0, criteria.limit);
    const rows = await this.patents.pageRows(page.map((h) => h.number));
    const last = page[page.length - 1];
    return {
      items: rows.map((row) => patentSummary(stateFromRow(row, row.pledges), today)),
      nextCursor:
        hits.length > criteria.limit && last !== undefined
          ? encodeSearchCursor({ t: last.tier, n: last.rank, h: criteriaHash(criteria) })
          : null,
    };
  }

  async get(rawNumber: string): Promise<PatentDetail> {
    const number = patentNumberParam(rawNumber);
    const state = await this.patents.find(number);
    if (state === undefined || !state.listed) throw patentNotFound(number);
    return patentDetail(state, shanghaiToday(this.clock));
  }
}
