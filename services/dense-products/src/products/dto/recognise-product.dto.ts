import { ApiProperty } from '@nestjs/swagger';
import { IsNotBlank } from '@ipfin/http';
import { MaxLength } from 'class-validator';
import { IsCalendarDate, Trim } from './identifier.validators';

/** `POST /v1/products/{id}/recognise` (role `regulator`): the national IP office recognised the product. */
export class RecogniseProductDto {
  @ApiProperty({
    description: 'Recognition date (YYYY-MM-DD); its calendar year is the reward year',
    example: '2024-06-18',
  })
  @IsCalendarDate()
  recognisedOn!: string;

  @ApiProperty({
    description: 'Number of the recognition certificate; one certificate recognises one product',
    example: 'ZLMJ-2024-350600-0012',
  })
  @Trim()
  @IsNotBlank()
  @MaxLength(100)
  certificateNo!: string;
}
