import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { PRODUCT_STATUSES, type ProductStatus } from '../domain/product';
import { IsUscc, NormaliseUscc } from './identifier.validators';

/** `GET /v1/products?status=&enterprise=` (enterprise: its own; regulator: its region's). */
export class ListProductsQueryDto {
  @ApiPropertyOptional({ enum: PRODUCT_STATUSES })
  @IsOptional()
  @IsIn(PRODUCT_STATUSES)
  status?: ProductStatus;

  @ApiPropertyOptional({ description: "Enterprise USCC (a regulator's filter; an enterprise sees only its own)" })
  @IsOptional()
  @NormaliseUscc()
  @IsUscc()
  enterprise?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}
