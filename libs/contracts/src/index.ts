import 'reflect-metadata';
export * from './topics';
export * from './envelope/envelope';
export * from './validation';
export * from './loans/loan-events';
export * from './catalogue';
