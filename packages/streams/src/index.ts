export { Stream, type AddOptions, type RangeOptions, type StreamReadOptions, type TrimBy } from './stream';
export {
  ConsumerGroupStream,
  type AutoClaimResult,
  type GroupReadOptions,
  type PendingEntry,
  type PendingOptions,
  type PendingSummary,
} from './consumer-group-stream';
export { BaseConsumerGroup, ConsumerGroup, type ConsumerGroupOptions, type GroupStreams, type StreamBatch } from './consumer-group';
export { type ConsumeOptions } from './consumer-loop';
export { ConsumedMessage } from './consumed-message';
export { TimeSeries, TimeSeriesStream, type TimePendingEntry, type TimeRangeOptions } from './time-series';
export { Message } from './message';
export { checkId, compareIds, dateToId, idToTime, isEntryId, toId, type Id, type IdLike, type IdRole } from './id';
export type { Entry } from './entry';
export type { ConsumerInfo, GroupInfo, StreamInfo } from './info';
export { listen, publish, type ListenTargets } from './listen';
export { monitor } from './monitor';
export { Subscription } from './subscription';
