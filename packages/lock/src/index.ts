export { Lock, type LockOptions } from './lock';
export { Semaphore, type SemaphoreOptions } from './semaphore';
export type { Lease, Permit } from './lease';
export type { AcquireOptions } from './options';
