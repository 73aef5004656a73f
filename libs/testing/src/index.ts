// @ipfin/testing: what integration and system tests share.
export * from './infra';
