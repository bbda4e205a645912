import { randomUUID } from 'node:crypto';
import { InvalidArgumentError } from './errors';

/**
 * Builds the keys of one structure instance. With `hashTag` (the default) the instance name is wrapped in
 * braces, so every key of the instance lands in one cluster slot: `lock:{jobs}`, `lock.event:{jobs}`.
 * Without it the names are the Python library's (`lock:jobs`).
 */
export class Keyspace {
  constructor(
    /** The handle's prefix, added in front of every key. */
    readonly prefix: string,
    /** The instance name. */
    readonly name: string,
    /** Whether the name is wrapped in `{}`. */
    readonly hashTag: boolean,
  ) {
    if (typeof name !== 'string' || name === '') throw new InvalidArgumentError('a structure name must be a non-empty string', { field: 'name', value: name });
  }

  /** `prefix + before + ({name} | name) + after`. */
  key(before: string, after = ''): string {
    return `${this.prefix}${before}${this.hashTag ? `{${this.name}}` : this.name}${after}`;
  }

  /** A fresh temporary key in this instance's slot: `temp.{name}.<uuid>` (or `temp.<uuid>` without a tag). */
  temp(): string {
    return `${this.prefix}temp.${this.hashTag ? `{${this.name}}.` : ''}${randomUUID()}`;
  }
}
