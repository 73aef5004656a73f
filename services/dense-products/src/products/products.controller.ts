import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, Idempotent, ProblemDto, Roles, type Page, type Principal } from '@ipfin/http';
import { FileProductDto } from './dto/file-product.dto';
import { ListProductsQueryDto } from './dto/list-products-query.dto';
import { ProductDetailView, ProductPageView, type ProductView } from './dto/product-view.dto';
import { RecogniseProductDto } from './dto/recognise-product.dto';
import { RejectProductDto } from './dto/reject-product.dto';
import { WithdrawRecognitionDto } from './dto/withdraw-recognition.dto';
import { ProductQueries } from './product-queries.service';
import { ProductsService } from './products.service';

const ID = { name: 'id', description: 'Product id (UUID) as returned by POST /v1/products', format: 'uuid' } as const;
const NOT_YOURS = {
  description: 'No such product, or not within the caller’s reach (never revealed)',
  type: ProblemDto,
};
const ONLY_REGULATOR = { description: 'Only a regulator records decisions', type: ProblemDto };

@ApiTags('products')
@ApiBearerAuth()
@Controller('v1/products')
export class ProductsController {
  constructor(
    private readonly products: ProductsService,
    private readonly queries: ProductQueries,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('enterprise', 'agency')
  @Idempotent()
  @ApiOperation({
    summary: 'File a patent-intensive product (专利密集型产品备案)',
    description:
      'Role enterprise (its uscc and region come from the token), or agency on the enterprise’s behalf with ' +
      '`enterprise {uscc, name, regionCode, size}` (the agency is recorded as agencyId). Every patent must be a ' +
      'valid invention patent owned by, or licensed to (any licence kind, open-licence takings included), the ' +
      'enterprise on filedOn, as the patent registry’s events show. Emits ProductFiled.',
  })
  @ApiCreatedResponse({ description: 'The filed product', type: ProductDetailView })
  @ApiForbiddenResponse({
    description: 'Not an enterprise or agency, or an enterprise filing for another',
    type: ProblemDto,
  })
  @ApiConflictResponse({
    description: '`duplicate-filing`: the enterprise already filed this product (same name) this calendar year',
    type: ProblemDto,
  })
  @ApiUnprocessableEntityResponse({
    description:
      '`patents-not-eligible`: errors[] names each failing patent (`patents[i]`) with its reason: not-invention, ' +
      'unknown-patent, patent-lapsed, not-owned-or-licensed',
    type: ProblemDto,
  })
  file(@CurrentPrincipal() principal: Principal, @Body() dto: FileProductDto): Promise<ProductDetailView> {
    return this.products.file(principal, dto);
  }

  @Post(':id/recognise')
  @HttpCode(200)
  @Roles('regulator')
  @Idempotent()
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Record the national IP office’s recognition and compute the reward',
    description:
      'Role regulator of the enterprise’s region or above. The reward follows the policy of the enterprise’s region ' +
      '(or its nearest ancestor) in force on recognisedOn: Zhangzhou ¥5 000 per product, at most ¥100 000 per ' +
      'enterprise per calendar year of recognition (Asia/Shanghai); the product that crosses the cap gets the ' +
      'remainder, later ones ¥0. Emits ProductRecognised then ProductRewarded. The same recognition sent again ' +
      'answers the product unchanged.',
  })
  @ApiOkResponse({ description: 'The recognised product with its reward', type: ProductDetailView })
  @ApiForbiddenResponse(ONLY_REGULATOR)
  @ApiNotFoundResponse(NOT_YOURS)
  @ApiConflictResponse({
    description: '`product-not-filed` (already decided) or `certificate-already-used`',
    type: ProblemDto,
  })
  @ApiUnprocessableEntityResponse({
    description: '`date-out-of-order`: recognised before it was filed',
    type: ProblemDto,
  })
  recognise(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() dto: RecogniseProductDto,
  ): Promise<ProductDetailView> {
    return this.products.recognise(principal, id, dto);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles('regulator')
  @Idempotent()
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Record a rejection of a filed product',
    description:
      'Role regulator of the enterprise’s region or above. A rejected filing no longer blocks filing the product ' +
      'again in the same year. Emits ProductRejected.',
  })
  @ApiOkResponse({ description: 'The rejected product', type: ProductDetailView })
  @ApiForbiddenResponse(ONLY_REGULATOR)
  @ApiNotFoundResponse(NOT_YOURS)
  @ApiConflictResponse({ description: '`product-not-filed`: already decided', type: ProblemDto })
  @ApiUnprocessableEntityResponse({
    description: '`date-out-of-order`: rejected before it was filed',
    type: ProblemDto,
  })
  reject(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() dto: RejectProductDto,
  ): Promise<ProductDetailView> {
    return this.products.reject(principal, id, dto);
  }

  @Post(':id/recognition-withdrawals')
  @HttpCode(200)
  @Roles('regulator')
  @Idempotent()
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Withdraw a recognition (撤销认定)',
    description:
      'Role regulator of the enterprise’s region or above. The product becomes `withdrawn` (terminal; its ' +
      'recognition stays on record), its whole reward goes back (ProductRewardAdjusted to "0.00", reason ' +
      'recognition-withdrawn) and the cap it frees goes to the enterprise’s next recognitions of that year that ' +
      'are below the full amount, earliest first (ProductRewardAdjusted, reason cap-freed). Amounts already paid ' +
      'to recognitions in force are never reduced. Emits ProductRecognitionWithdrawn first. The same withdrawal ' +
      'sent again answers the product unchanged.',
  })
  @ApiOkResponse({ description: 'The product, withdrawn', type: ProductDetailView })
  @ApiForbiddenResponse(ONLY_REGULATOR)
  @ApiNotFoundResponse(NOT_YOURS)
  @ApiConflictResponse({ description: '`product-not-recognised`', type: ProblemDto })
  @ApiUnprocessableEntityResponse({
    description: '`date-out-of-order`: withdrawn before the recognition',
    type: ProblemDto,
  })
  withdrawRecognition(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() dto: WithdrawRecognitionDto,
  ): Promise<ProductDetailView> {
    return this.products.withdrawRecognition(principal, id, dto);
  }

  @Get()
  @Roles('enterprise', 'agency', 'regulator', 'admin')
  @ApiOperation({
    summary: 'List products, oldest filing first, paginated',
    description:
      'Enterprise: its own (by the token’s uscc); agency: those it filed; regulator: its region’s and below; ' +
      'admin: all. `enterprise` narrows to one enterprise (an enterprise may only name itself).',
  })
  @ApiOkResponse({ description: '{ items, nextCursor }', type: ProductPageView })
  @ApiForbiddenResponse({
    description: 'A role that reads no products, or an enterprise naming another',
    type: ProblemDto,
  })
  list(@CurrentPrincipal() principal: Principal, @Query() q: ListProductsQueryDto): Promise<Page<ProductView>> {
    return this.queries.list(principal, q);
  }

  @Get(':id')
  @Roles('enterprise', 'agency', 'regulator', 'admin')
  @ApiParam(ID)
  @ApiOperation({ summary: 'A product with its decision, reward and event history' })
  @ApiOkResponse({ type: ProductDetailView })
  @ApiNotFoundResponse(NOT_YOURS)
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ProductDetailView> {
    return this.queries.get(principal, id);
  }
}
