import type { INestApplication } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export interface OpenApiOptions {
  title: string;
  description?: string;
  version?: string;
}

export const BEARER_SCHEME = 'bearer';

class FieldErrorDto {
  @ApiProperty({ example: 'borrower.uscc' }) field!: string;
  @ApiProperty({ example: 'uscc: USCC 91350600MA2XXXXXX has a wrong check character: expected 3, got X.' }) message!: string;
}

/** RFC 9457 problem details, for `@ApiResponse({ status: 422, type: ProblemDto })`. */
export class ProblemDto {
  @ApiProperty({ example: 'https://ipfin.dev/problems/patent-pledged' }) type!: string;
  @ApiProperty({ example: 'Patent pledged' }) title!: string;
  @ApiProperty({ example: 422 }) status!: number;
  @ApiProperty({ example: 'Patent 202310123456.6 is pledged and the pledgee has not consented.' }) detail!: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
  @ApiPropertyOptional({ example: '/v1/patents/202310123456.6/transfers' }) instance?: string;
  @ApiPropertyOptional({ example: '5c0b0a9e-8d8e-4f7e-9a43-0e1f2f8d1c11' }) correlationId?: string;
}

/** Swagger UI at `/docs`, the document at `/docs-json`, bearer JWT declared and required by default. */
export function setupOpenApi(app: INestApplication, options: OpenApiOptions): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description ?? '')
    .setVersion(options.version ?? '1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_SCHEME)
    .addSecurityRequirements(BEARER_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemDto] });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', customSiteTitle: options.title });
  return document;
}
