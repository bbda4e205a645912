import type { Entry } from './entry';
import { compareIds, idToTime, type Id } from './id';

const SAFE_ID = /^(\d{1,15})-(\d{1,15})$/;

/**
 * A stream entry that knows its stream and its time: `timestamp` is the id's millisecond part as a UTC Date and
 * `sequence` the part after the dash. TimeSeries methods and the consumer loop return Messages.
 */
export class Message<K extends string = string> implements Entry {
  /** UTC time of the id's millisecond part. */
  readonly timestamp: Date;
  /** The id's sequence number. */
  readonly sequence: number;

  constructor(
    /** The stream name (as given to the group, without the handle's prefix). */
    readonly stream: K,
    /** The entry id. */
    readonly id: Id,
    /** The entry's fields. */
    readonly data: Record<string, string>,
  ) {
    // Usual ids fit in doubles: skip the BigInt checks on the consumer loop's hot path.
    const m = SAFE_ID.exec(id);
    if (m) {
      this.timestamp = new Date(Number(m[1]));
      this.sequence = Number(m[2]);
    } else {
      const { timestamp, sequence } = idToTime(id);
      this.timestamp = timestamp;
      this.sequence = sequence;
    }
  }

  /** Orders messages by numeric id `(ms, seq)`, then by stream name. */
  static compare(a: Message, b: Message): number {
    return compareIds(a.id, b.id) || (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0);
  }

  /** `<Message stream id: {data}>`, as in the Python library. */
  toString(): string {
    return `<Message ${this.stream} ${this.id}: ${JSON.stringify(this.data)}>`;
  }
}
