import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { decodeCursor, pageOf, type Page, type Principal } from '@ipfin/http';
import { NotFound } from '@ipfin/kernel';
import { DataSource } from 'typeorm';
import type { ListProductsQueryDto } from './dto/list-products-query.dto';
import type { ProductDetailView, ProductView } from './dto/product-view.dto';
import { canSee, listScope } from './product-access';
import { productDetailView, productView } from './product-view';
import { ProductRepository } from './product.repository';

interface ListPosition {
  seq: string;
}

const isListPosition = (value: unknown): value is ListPosition =>
  typeof value === 'object' && value !== null && /^\d{1,19}$/.test(String((value as { seq?: unknown }).seq));

/** Reads of products, each caller within its reach (see `product-access.ts`). */
@Injectable()
export class ProductQueries {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly products: ProductRepository,
  ) {}

  async get(principal: Principal, id: string): Promise<ProductDetailView> {
    const m = this.dataSource.manager;
    const record = await this.products.find(m, id);
    if (record === null || !canSee(principal, record.product)) throw new NotFound(`Product ${id}`);
    return productDetailView(record, await this.products.history(m, id));
  }

  async list(principal: Principal, q: ListProductsQueryDto): Promise<Page<ProductView>> {
    const limit = q.limit;
    const scope = listScope(principal, q.enterprise);
    const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor, isListPosition);
    const rows = await this.products.list(this.dataSource.manager, {
      ...scope,
      ...(q.status === undefined ? {} : { status: q.status }),
      ...(after === undefined ? {} : { afterSeq: after.seq }),
      limit,
    });
    return pageOf(rows, limit, (last) => ({ seq: last.seq }), productView);
  }
}
