import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedQuery } from '@ipfin/messaging';
import { declarationId, type Declaration } from './patents-fold';

/** Open-licence declarations (per patent and declaration day), for withdrawals. */
@Injectable()
export class DeclarationsRepository {
  async load(manager: EntityManager, keys: readonly { number: string; declaredOn: string }[]): Promise<Map<string, Declaration>> {
    if (keys.length === 0) return new Map();
    const rows: { number: string; declared_on: string; owner_region: string; expires_on: string; withdrawn_on: string | null }[] =
      await preparedQuery(manager,
        `select d.number, d.declared_on::text as declared_on, d.owner_region, d.expires_on::text as expires_on, d.withdrawn_on::text as withdrawn_on
           from open_licence_declaration d join unnest($1::text[], $2::date[]) as k(number, declared_on)
             on d.number = k.number and d.declared_on = k.declared_on`,
        [keys.map((k) => k.number), keys.map((k) => k.declaredOn)],
      );
    return new Map(rows.map((r) => [declarationId(r.number, r.declared_on), {
      number: r.number, declaredOn: r.declared_on, ownerRegion: r.owner_region, expiresOn: r.expires_on, withdrawnOn: r.withdrawn_on,
    }]));
  }

  async save(manager: EntityManager, declarations: readonly Declaration[]): Promise<void> {
    if (declarations.length === 0) return;
    const rows = [...declarations].sort((a, b) => (declarationId(a.number, a.declaredOn) < declarationId(b.number, b.declaredOn) ? -1 : 1));
    await preparedQuery(manager,
      `insert into open_licence_declaration (number, declared_on, owner_region, expires_on, withdrawn_on)
       select * from unnest($1::text[], $2::date[], $3::text[], $4::date[], $5::date[])
       on conflict (number, declared_on) do update set owner_region = excluded.owner_region, expires_on = excluded.expires_on,
                                                       withdrawn_on = excluded.withdrawn_on`,
      [rows.map((d) => d.number), rows.map((d) => d.declaredOn), rows.map((d) => d.ownerRegion), rows.map((d) => d.expiresOn),
        rows.map((d) => d.withdrawnOn)],
    );
  }
}
