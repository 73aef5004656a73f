import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';
import { LOG_LEVELS } from '../logging/pino-logger.service';

/** A boolean variable: `true`/`1`/`yes` or `false`/`0`/`no`; anything else is refused. */
export function EnvBoolean(): PropertyDecorator {
  const validate = IsBoolean({ message: ({ property }) => `${property} must be true or false` });
  const transform = Transform(({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
    const raw = obj[key];
    if (typeof raw !== 'string') return raw;
    const text = raw.toLowerCase();
    if (['true', '1', 'yes'].includes(text)) return true;
    if (['false', '0', 'no'].includes(text)) return false;
    return raw;
  });
  return (target: object, propertyKey: string | symbol) => {
    transform(target, propertyKey);
    validate(target, propertyKey);
  };
}

/** Variables every service reads; a service's env class extends it with its own. */
export class BaseServiceEnv {
  // One message per variable (stopAtFirstError) and the lowest decorator runs first: type before range.
  @Min(1, { message: 'PORT must be between 1 and 65535' })
  @Max(65535, { message: 'PORT must be between 1 and 65535' })
  @IsInt({ message: 'PORT must be an integer' })
  PORT!: number;

  /**
   * The address the HTTP server listens on. Unset: every interface (what a container wants);
   * `npm start` sets 127.0.0.1 (IPFIN_BIND_HOST moves it).
   */
  @IsOptional()
  @Matches(/^[0-9A-Za-z.:-]{1,253}$/, { message: 'HOST must be an IP address or a host name' })
  HOST?: string;

  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'DATABASE_SCHEMA must be a lower-case SQL identifier' })
  DATABASE_SCHEMA!: string;

  /** Comma-separated `host:port` list. */
  @Matches(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, { message: 'KAFKA_BROKERS must be a comma-separated list of host:port' })
  KAFKA_BROKERS!: string;

  @ValidateIf((env: BaseServiceEnv) => env.AUTH_JWKS_URL === undefined)
  @IsString({ message: 'AUTH_JWT_SECRET is required unless AUTH_JWKS_URL is set' })
  @MinLength(16, { message: 'AUTH_JWT_SECRET must be at least 16 characters' })
  AUTH_JWT_SECRET?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'AUTH_JWKS_URL must be an http(s) URL' })
  AUTH_JWKS_URL?: string;

  @IsOptional()
  @IsString()
  AUTH_JWT_ISSUER?: string;

  @IsOptional()
  @IsString()
  AUTH_JWT_AUDIENCE?: string;

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: string = 'info';

  /**
   * Comma-separated early USCCs that are legal although their check character fails (domain.md):
   * the operator-kept allow-list, the same for every service that takes a USCC.
   */
  @IsOptional()
  @Matches(/^\s*([0-9A-Z]{18}\s*(,\s*[0-9A-Z]{18}\s*)*)?$/i, { message: 'USCC_ALLOW_LIST must be a comma-separated list of 18-character codes' })
  USCC_ALLOW_LIST?: string;

  /** The brokers as an array. */
  kafkaBrokers(): string[] {
    return this.KAFKA_BROKERS.split(',').map((broker) => broker.trim());
  }

  /** The allow-list as upper-case codes. */
  usccAllowList(): string[] {
    return (this.USCC_ALLOW_LIST ?? '').split(',').map((code) => code.trim().toUpperCase()).filter((code) => code !== '');
  }
}
