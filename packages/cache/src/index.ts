export { Cache, type CachedFunction, type CachedMethodDecorator } from './cache';
export type { CacheMetrics } from './metrics';
export type { CacheOptions, CachedOptions, DistributedOptions, MethodOptions, SetOptions, WrapOptions } from './options';
export { argsHash, canonicalArgs } from './args-hash';
