export { RateLimit, type CheckOptions, type RateLimitOptions, type RateLimitPolicy, type RateLimitResult, type RateLimitResult as Result } from './rate-limit';
export type { RateLimitAlgorithm } from './algorithms';
