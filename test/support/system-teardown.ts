export default async function systemTeardown(): Promise<void> {
  await globalThis.__IPFIN_STACK__?.stop();
}
