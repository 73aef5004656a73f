import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedQuery, type Statement } from '@ipfin/messaging';
import type { WriteBatch } from '../common/write-batch';
import { declarationId, type Declaration, type OwnerMove } from './patents-fold';

/**
 * Every stored declaration of the patents: a transfer names no declaration, so a batch reads all of
 * its patents' (a handful each), by the primary key's leading column.
 */
export function declarationsStatement(numbers: readonly string[]): Statement {
  return {
    text: `select d.number, d.declared_on::text as declared_on, d.owner_region, d.expires_on::text as expires_on,
                  d.withdrawn_on::text as withdrawn_on, d.moves
             from open_licence_declaration d
            where d.number = any($1::text[])`,
    values: [[...numbers]],
  };
}

/** `declarationsStatement`'s rows, by `declarationId`. */
export function declarationsOf(rows: readonly Record<string, unknown>[]): Map<string, Declaration> {
  return new Map(rows.map((r) => {
    const d: Declaration = {
      number: r.number as string, declaredOn: r.declared_on as string, ownerRegion: r.owner_region as string,
      expiresOn: r.expires_on as string, withdrawnOn: r.withdrawn_on as string | null,
      moves: (r.moves as OwnerMove[]).map((m) => ({ on: m.on, region: m.region })),
    };
    return [declarationId(d.number, d.declaredOn), d];
  }));
}

/**
 * Open-licence declarations (per patent and declaration day), for withdrawals and for the transfers
 * that move a declaration in force to the assignee's region (`moves`).
 */
@Injectable()
export class DeclarationsRepository {
  /** `declarationsStatement` run on `manager`. */
  async load(manager: EntityManager, numbers: readonly string[]): Promise<Map<string, Declaration>> {
    if (numbers.length === 0) return new Map();
    const { text, values } = declarationsStatement(numbers);
    return declarationsOf(await preparedQuery(manager, text, values));
  }

  /** Adds the declarations as they are after the batch to the fold's `batch`, in key order. */
  save(batch: WriteBatch, declarations: readonly Declaration[]): void {
    if (declarations.length === 0) return;
    const rows = [...declarations].sort((a, b) => (declarationId(a.number, a.declaredOn) < declarationId(b.number, b.declaredOn) ? -1 : 1));
    const col = <T>(f: (d: Declaration) => T): string => batch.param(rows.map(f));
    batch.add(
      `insert into open_licence_declaration (number, declared_on, owner_region, expires_on, withdrawn_on, moves)
       select number, declared_on, owner_region, expires_on, withdrawn_on, moves::jsonb
         from unnest(${col((d) => d.number)}::text[], ${col((d) => d.declaredOn)}::date[], ${col((d) => d.ownerRegion)}::text[],
                     ${col((d) => d.expiresOn)}::date[], ${col((d) => d.withdrawnOn)}::date[], ${col((d) => JSON.stringify(d.moves))}::text[])
           as r(number, declared_on, owner_region, expires_on, withdrawn_on, moves)
       on conflict (number, declared_on) do update set owner_region = excluded.owner_region, expires_on = excluded.expires_on,
                                                       withdrawn_on = excluded.withdrawn_on, moves = excluded.moves`,
    );
  }
}
