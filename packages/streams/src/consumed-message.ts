import { Message } from './message';

/** @internal What a consumed message needs from its loop. */
export interface MessageOwner {
  ack(message: ConsumedMessage): Promise<void>;
  fail(message: ConsumedMessage, err: unknown): Promise<void>;
}

/**
 * A message handed out by `group.consume()`: a {@link Message} with its delivery count and the means to settle it.
 * Unless `ack()` or `fail()` ran, the loop acknowledges it when the next message is asked for (`autoAck`).
 */
export class ConsumedMessage<K extends string = string> extends Message<K> {
  #owner: MessageOwner;
  #settled = false;

  constructor(
    stream: K,
    id: string,
    data: Record<string, string>,
    /** How many times the group delivered this entry, this time included. */
    readonly deliveries: number,
    /** @internal The stream key in Redis. */
    readonly key: string,
    owner: MessageOwner,
  ) {
    super(stream, id, data);
    this.#owner = owner;
  }

  /** True once the message was acknowledged, failed, or auto-acknowledged. */
  get settled(): boolean {
    return this.#settled;
  }

  /** @internal Marks the message settled; returns false when it already was. */
  settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    return true;
  }

  /** Acknowledges the message now (one XACK). A second call does nothing. */
  async ack(): Promise<void> {
    if (this.settle()) await this.#owner.ack(this);
  }

  /**
   * Reports a failed attempt. On the last allowed delivery (`deadLetter.maxDeliveries`) the message moves to the
   * dead-letter stream at once, with `err` as `_error`; otherwise it stays pending and is delivered again once idle
   * for `claimIdle` (the error is kept for a later dead letter). A second call does nothing.
   */
  async fail(err?: unknown): Promise<void> {
    if (this.settle()) await this.#owner.fail(this, err);
  }
}
