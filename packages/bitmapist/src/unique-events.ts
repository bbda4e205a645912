import type { Walrus } from '@walrus/core';
import { Events } from './events';
import { checkDb, checkName, eventBase, type KeyOptions } from './keys';

/** Events of one name with no period (`markUnique`, or `markEvent` with `trackUnique`): key `P_<name>_u`. */
export class UniqueEvents extends Events {
  /** The event name. */
  readonly name: string;
  /** The key options the events were made with. */
  readonly options: Readonly<KeyOptions>;

  constructor(db: Walrus, name: string, o: KeyOptions = {}) {
    checkDb(db);
    checkName(name);
    const base = eventBase(db, o);
    super(db, `${base}${name}_u`, base);
    this.name = name;
    this.options = { ...o };
  }

  /** The unique events of `name`; the date is ignored (there is one set per name). */
  static fromDate(db: Walrus, name: string, _date?: Date, o?: KeyOptions): UniqueEvents {
    return new UniqueEvents(db, name, o);
  }

  /** The same events: unique events have no periods. */
  delta(_n: number): this {
    return this;
  }

  /** The same events. */
  next(): this {
    return this;
  }

  /** The same events. */
  prev(): this {
    return this;
  }
}
