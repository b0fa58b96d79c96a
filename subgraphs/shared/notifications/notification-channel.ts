/**
 * Fire-and-forget notifications between processes ("a new model version is out"), the shape of graphql-hive's
 * pubsub port: publish a message on a topic, subscribe to a topic. Delivery is best effort on every backend
 * (Redis pub/sub keeps nothing for a subscriber that is away), so a notification only ever says "look now":
 * what it announces is read from the store, and a poll covers a notification that never arrived.
 */
export interface NotificationChannel {
  publish(topic: string, message: string): Promise<void>;
  /** Calls `handler` for each message on `topic` from now on; the returned function unsubscribes. */
  subscribe(topic: string, handler: (message: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
