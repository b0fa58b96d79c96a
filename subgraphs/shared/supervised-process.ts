/**
 * The two messages between a service and the process that started it (`npm start` runs the store, the
 * subgraphs and the gateway as child processes). Outside a supervisor (no IPC channel) both do nothing.
 */
export interface ReadyMessage {
  type: 'ready';
  /** What the service serves: its URL, or one per subgraph. */
  urls: Record<string, string>;
}

/** Tells the supervisor, if any, that the service is listening and where. */
export function announceReady(urls: Record<string, string>): void {
  const message: ReadyMessage = { type: 'ready', urls };
  process.send?.(message);
}

/**
 * Stops the service when its supervisor goes away, however it ends (Ctrl-C, a kill, a crash): the IPC channel
 * closes, and a service left without a supervisor would hold its port forever.
 */
export function stopWhenSupervisorGone(stop: () => void, forceAfterMs = SUPERVISOR_GONE_EXIT_MS): void {
  if (!process.connected) return;
  const supervisor = process.ppid;
  let gone = false;
  const leave = () => {
    if (gone) return;
    gone = true;
    // An orderly stop first; should it hang (a peer that vanished with the supervisor), leave anyway.
    setTimeout(() => process.exit(1), forceAfterMs).unref();
    stop();
  };
  process.once('disconnect', leave);
  // Belt and braces: a process whose parent died is handed to another, whatever became of the channel.
  setInterval(() => {
    if (process.ppid !== supervisor) leave();
  }, 1_000).unref();
}

/** How long a service whose supervisor died may take to stop in order before it exits regardless. */
export const SUPERVISOR_GONE_EXIT_MS = 20_000;

export const isReadyMessage = (message: unknown): message is ReadyMessage =>
  typeof message === 'object' &&
  message !== null &&
  (message as ReadyMessage).type === 'ready' &&
  typeof (message as ReadyMessage).urls === 'object';
