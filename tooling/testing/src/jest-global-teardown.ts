/** Stops the servers the global setup started; servers given by the environment are left running. */
export default async function globalTeardown(): Promise<void> {
  const s = globalThis.__walrusServers;
  await Promise.all([s?.server?.stop(), s?.cluster?.stop()]);
}
