import { InvalidArgumentError } from '@walrus/core';

/** A named placeholder in {@link Graph.search} conditions. Variables match by name. */
export class Variable {
  /** The name the search results are keyed by. */
  readonly name: string;
  constructor(name: string) {
    if (typeof name !== 'string' || name === '') throw new InvalidArgumentError('a variable name must be a non-empty string', { field: 'name', value: name });
    this.name = name;
  }

  /** `?name`, for messages. */
  toString(): string {
    return `?${this.name}`;
  }
}

/** Creates a {@link Variable} (same as `graph.v(name)`). */
export function variable(name: string): Variable {
  return new Variable(name);
}
