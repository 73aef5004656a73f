import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { TargetUnit } from './indicators';

export interface TargetRecord {
  id: string;
  region: string;
  indicator: string;
  unit: TargetUnit;
  /** Fen for CNY, a count otherwise. */
  baseline: bigint | null;
  target: bigint;
  dueOn: string;
}

export interface TargetPosition {
  region: string;
  dueOn: string;
  id: string;
}

type Row = { id: string; region: string; indicator: string; unit: TargetUnit; baseline: string | null; target: string; due_on: string };

const toRecord = (r: Row): TargetRecord => ({
  id: r.id, region: r.region, indicator: r.indicator, unit: r.unit,
  baseline: r.baseline === null ? null : BigInt(r.baseline), target: BigInt(r.target), dueOn: r.due_on,
});

const COLUMNS = 'id, region, indicator, unit, baseline::text as baseline, target::text as target, due_on::text as due_on';

@Injectable()
export class TargetsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Targets of regions in `regionFrom`…`regionTo`, in (region, dueOn, id) order after `after`. */
  async list(filter: { regionFrom: string; regionTo: string; indicator?: string }, after: TargetPosition | null, limit: number): Promise<TargetRecord[]> {
    const params: unknown[] = [filter.regionFrom, filter.regionTo];
    let where = 'region between $1 and $2';
    if (filter.indicator) where += ` and indicator = $${params.push(filter.indicator)}`;
    if (after) where += ` and (region, due_on, id) > ($${params.push(after.region)}, $${params.push(after.dueOn)}::date, $${params.push(after.id)})`;
    const rows: Row[] = await this.dataSource.query(
      `select ${COLUMNS} from targets where ${where} order by region, due_on, id limit $${params.push(limit)}`,
      params,
    );
    return rows.map(toRecord);
  }

  /** Inserts the target; false when one of the same region, indicator and due date exists. */
  async insert(t: TargetRecord, createdBy: string): Promise<boolean> {
    const rows: { id: string }[] = await this.dataSource.query(
      `insert into targets (id, region, indicator, unit, baseline, target, due_on, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (region, indicator, due_on) do nothing returning id`,
      [t.id, t.region, t.indicator, t.unit, t.baseline?.toString() ?? null, t.target.toString(), t.dueOn, createdBy],
    );
    return rows.length === 1;
  }
}
