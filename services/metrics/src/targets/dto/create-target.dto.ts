import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches, MaxLength, ValidateBy, type ValidationArguments } from 'class-validator';
import { IsBusinessDate, IsRegionCodeField } from '@ipfin/http';
import { Money } from '@ipfin/kernel';
import { TARGET_UNITS, type TargetUnit } from '../indicators';

/** A target value in the target's unit: a money string for `CNY`, a non-negative integer for `count`. */
export function targetValueError(value: unknown, unit: unknown): string | null {
  if (unit === 'count') {
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? null : 'must be a non-negative integer for unit count';
  }
  if (unit === 'CNY') {
    if (typeof value !== 'string') return 'must be a decimal string such as "500000000.00" for unit CNY';
    try {
      Money.parse(value);
      return null;
    } catch {
      return 'must be a non-negative decimal string with at most two decimals, e.g. "500000000.00"';
    }
  }
  return null; // the unit itself is reported
}

const IsValueOfUnit = (): PropertyDecorator =>
  ValidateBy({
    name: 'isValueOfUnit',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => targetValueError(value, (args?.object as { unit?: unknown }).unit) === null,
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property ?? 'value'} ${targetValueError(args?.value, (args?.object as { unit?: unknown }).unit) ?? 'is invalid'}`,
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

  @ApiProperty({ enum: TARGET_UNITS })
  @IsIn(TARGET_UNITS)
  unit!: TargetUnit;

  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'integer' }], example: '35000000.00' })
  @IsOptional()
  @IsValueOfUnit()
  baseline?: string | number;

  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'integer' }], example: '150000000.00' })
  @IsValueOfUnit()
  target!: string | number;

  @ApiProperty({ example: '2025-12-31' })
  @IsBusinessDate()
  dueOn!: string;
}
