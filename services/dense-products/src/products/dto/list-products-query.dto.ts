import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsUsccField, PageQueryDto } from '@ipfin/http';
import { PRODUCT_STATUSES, type ProductStatus } from '../domain/product';

/** `GET /v1/products?status=&enterprise=` (enterprise: its own; regulator: its region's). */
export class ListProductsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PRODUCT_STATUSES })
  @IsOptional()
  @IsIn(PRODUCT_STATUSES)
  status?: ProductStatus;

  @ApiPropertyOptional({
    description:
      "Enterprise USCC (a regulator's filter; an enterprise sees only its own), check character verified or on USCC_ALLOW_LIST",
  })
  @IsOptional()
  @IsUsccField()
  enterprise?: string;
}
