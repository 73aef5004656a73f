import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches, MaxLength, ValidateBy, type ValidationArguments } from 'class-validator';
import { IsBusinessDate, IsRegionCodeField } from '@ipfin/http';
import { Money } from '@ipfin/kernel';
import { TARGET_UNITS, indicatorDefinition, type TargetUnit } from '../indicators';

/**
 * A target value in the target's unit: a money string for `CNY`, a non-negative integer for
 * `count`. With `positive` (the target itself) zero is refused too: `progress` = actual ÷ target
 * means nothing for a target of 0.
 */
export function targetValueError(value: unknown, unit: unknown, opts: { positive?: boolean } = {}): string | null {
  if (unit === 'count') {
    if (!(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)) return 'must be a non-negative integer for unit count';
    return opts.positive && value === 0 ? 'must be greater than 0 (progress is actual ÷ target)' : null;
  }
  if (unit === 'CNY') {
    if (typeof value !== 'string') return 'must be a decimal string such as "500000000.00" for unit CNY';
    let fen: bigint;
    try {
      fen = Money.parse(value).fen;
    } catch {
      return 'must be a non-negative decimal string with at most two decimals, e.g. "500000000.00"';
    }
    return opts.positive && fen === 0n ? 'must be greater than 0.00 (progress is actual ÷ target)' : null;
  }
  return null; // the unit itself is reported
}

const IsValueOfUnit = (opts: { positive?: boolean } = {}): PropertyDecorator =>
  ValidateBy({
    name: 'isValueOfUnit',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => targetValueError(value, (args?.object as { unit?: unknown }).unit, opts) === null,
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property ?? 'value'} ${targetValueError(args?.value, (args?.object as { unit?: unknown }).unit, opts) ?? 'is invalid'}`,
    },
  });

/**
 * A measured indicator (`indicators.ts`) is measured in one unit; a target in the other could
 * never show an `actual` or a `progress`. Unmeasured indicators take either unit.
 */
export function unitError(unit: unknown, indicator: unknown): string | null {
  if (typeof indicator !== 'string' || !(TARGET_UNITS as readonly unknown[]).includes(unit)) return null; // reported on their own fields
  const measured = indicatorDefinition(indicator);
  return measured && measured.unit !== unit ? `must be ${measured.unit} for indicator ${indicator} (the platform measures it in ${measured.unit})` : null;
}

const IsUnitOfIndicator = (): PropertyDecorator =>
  ValidateBy({
    name: 'isUnitOfIndicator',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => unitError(value, (args?.object as { indicator?: unknown }).indicator) === null,
      defaultMessage: (args?: ValidationArguments) =>
        `unit ${unitError(args?.value, (args?.object as { indicator?: unknown }).indicator) ?? 'is invalid'}`,
    },
  });

export class CreateTargetDto {
  @ApiProperty({ example: '350583' })
  @IsRegionCodeField()
  region!: string;

  @ApiProperty({ example: 'pledge-financing-cumulative', description: 'Kebab-case indicator; the measured ones are listed in the service README' })
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'indicator must be kebab-case, e.g. pledge-financing-annual' })
  @MaxLength(80)
  indicator!: string;

  @ApiProperty({ enum: TARGET_UNITS, description: 'CNY (money strings) or count (integers); a measured indicator must use the unit it is measured in (e.g. pledge-financing-* CNY, transfers-* count), else 400 on unit' })
  @IsIn(TARGET_UNITS)
  @IsUnitOfIndicator()
  unit!: TargetUnit;

  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'integer' }], example: '35000000.00' })
  @IsOptional()
  @IsValueOfUnit()
  baseline?: string | number;

  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'integer' }], example: '150000000.00', description: 'Greater than zero (progress = actual ÷ target)' })
  @IsValueOfUnit({ positive: true })
  target!: string | number;

  @ApiProperty({ example: '2025-12-31' })
  @IsBusinessDate()
  dueOn!: string;
}
