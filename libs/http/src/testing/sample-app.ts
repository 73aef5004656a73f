import { Body, Controller, Get, HttpCode, Module, Param, Post } from '@nestjs/common';
import { Conflict, DomainError, DomainErrorKind, Forbidden, NotFound, RuleViolation, Unauthenticated, ValidationFailed } from '@ipfin/kernel';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsBoolean, IsIn, IsOptional, IsString, ValidateNested } from 'class-validator';
import { CurrentPrincipal, OptionalPrincipal, Public, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { ArrayBodyPipe } from '../validation/validation.pipe';
import { IsBusinessDate, IsMoney, IsPatentNumberField, IsRegionCodeField, IsUsccField } from '../validation/field-decorators';

/** Test fixture (not exported): a small controller shaped like the pledge-loans API. */
export class BorrowerDto {
  @IsUsccField() uscc!: string;
  @IsString() name!: string;
  @IsRegionCodeField() regionCode!: string;
}

export class RightDto {
  @IsIn(['patent', 'trademark']) kind!: 'patent' | 'trademark';
  @IsPatentNumberField() number!: string;
}

export class PledgeDto {
  @IsString() registrationNo!: string;
  @IsBusinessDate() registeredOn!: string;
  @ValidateNested({ each: true })
  @ArrayMinSize(1)
  @Type(() => RightDto)
  rights!: RightDto[];
}

export class RegisterLoanDto {
  @IsString() loanRef!: string;
  @ValidateNested() @Type(() => BorrowerDto) borrower!: BorrowerDto;
  @IsMoney() principal!: string;
  @IsOptional() @IsBoolean() inclusive?: boolean;
  @ValidateNested() @Type(() => PledgeDto) pledge!: PledgeDto;
}

export class DataDto {
  @IsMoney() amount!: string;
}

export class EventDto {
  @IsString() eventId!: string;
  @ValidateNested() @Type(() => DataDto) data!: DataDto;
}

export const ERRORS_BY_KIND: Readonly<Record<DomainErrorKind, () => DomainError>> = {
  validation: () => new ValidationFailed([{ field: 'loanRef', message: 'loanRef is taken by another format' }]),
  'not-found': () => new NotFound('Loan ZZ-1', undefined, 'loan-not-found'),
  conflict: () => new Conflict('loan-ref-taken', 'Loan ZZ-1 was registered with different terms.'),
  rule: () => new RuleViolation('patent-pledged', 'Patent 202310123456.6 is already pledged.'),
  forbidden: () => new Forbidden('Not your loan.', 'loan-forbidden'),
  unauthenticated: () => new Unauthenticated('Token revoked.', 'token-revoked'),
};

@Controller('v1')
export class SampleController {
  @Post('loans')
  @Roles('bank')
  register(@Body() body: RegisterLoanDto, @CurrentPrincipal() principal: Principal): { loan: RegisterLoanDto; bank: string; isInstance: boolean } {
    return { loan: body, bank: principal.sub, isInstance: body instanceof RegisterLoanDto };
  }

  @Post('events')
  @HttpCode(200)
  @Roles('bank')
  events(@Body(new ArrayBodyPipe(EventDto, { minItems: 1, maxItems: 1000 })) events: EventDto[]): { count: number } {
    return { count: events.length };
  }

  @Get('whoami')
  whoami(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Get('patents')
  @Public()
  search(@OptionalPrincipal() principal: Principal | undefined): { caller: string | null } {
    return { caller: principal?.sub ?? null };
  }

  @Get('fail/:kind')
  @Public()
  fail(@Param('kind') kind: string): never {
    if (kind === 'crash') throw new Error('connection to 10.0.0.7:5432 refused; password=hunter2');
    const make = ERRORS_BY_KIND[kind as DomainErrorKind] as (() => DomainError) | undefined;
    if (make === undefined) throw new Error(`unknown kind ${kind}`);
    throw make();
  }
}

@Module({ controllers: [SampleController] })
export class SampleAppModule {}
