import 'reflect-metadata';
export * from './topics';
export * from './envelope/envelope';
export * from './validation';
export * from './loans/loan-events';
export * from './catalogue';
export * from './risk/risk-events';
export * from './patents/patent-events';
export * from './products/product-events';
