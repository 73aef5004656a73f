import { logLevel } from 'kafkajs';
import { kafkaLogCreator, parseBrokers } from './kafka-bus';

describe('kafka bus', () => {
  it('parses the broker list', () => {
    expect(parseBrokers(' 127.0.0.1:9092, 127.0.0.1:9093 ,')).toEqual(['127.0.0.1:9092', '127.0.0.1:9093']);
    expect(parseBrokers(['a:1'])).toEqual(['a:1']);
    expect(() => parseBrokers('')).toThrow('no Kafka brokers');
  });

  it('forwards warnings and errors only, routine ones as debug', () => {
    const lines: string[] = [];
    const logger = {
      log: (m: string) => lines.push(`log ${m}`),
      warn: (m: string) => lines.push(`warn ${m}`),
      error: (m: string) => lines.push(`error ${m}`),
      debug: (m: string) => lines.push(`debug ${m}`),
    };
    const log = kafkaLogCreator(logger)(logLevel.INFO);
    const entry = (level: logLevel, message: string, extra: object = {}) =>
      log({ namespace: 'Runner', level, label: '', log: { timestamp: '', message, ...extra } });
    entry(logLevel.INFO, 'Consumer has joined the group');
    entry(logLevel.WARN, 'The group is rebalancing, re-joining');
    entry(logLevel.ERROR, 'Connection error', { error: 'ECONNREFUSED' });
    expect(lines).toEqual([
      'debug kafkajs Runner: The group is rebalancing, re-joining',
      'error kafkajs Runner: Connection error: ECONNREFUSED',
    ]);
  });
});
