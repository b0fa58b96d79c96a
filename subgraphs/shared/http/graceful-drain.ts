import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface DrainOutcome {
  /** Connections still open at the deadline, cut with whatever they were doing. */
  forced: number;
}

/**
 * Stops an HTTP server without cutting requests short (as Apollo Server's `drainHttpServer` does): stop
 * accepting connections, close idle keep-alive connections at once, let requests in flight finish and close
 * their connections after them, and at the deadline cut whatever is left.
 */
export class GracefulDrain {
  private readonly inFlight = new Set<ServerResponse>();
  private draining: Promise<DrainOutcome> | null = null;

  constructor(private readonly server: Server) {}

  get isDraining(): boolean {
    return this.draining !== null;
  }

  /** Called for every request as it arrives. */
  admit(request: IncomingMessage, response: ServerResponse): void {
    this.inFlight.add(response);
    // Arriving on a kept-alive connection while draining: served, then that connection closes.
    if (this.draining) response.setHeader('connection', 'close');
    response.once('close', () => {
      this.inFlight.delete(response);
      if (this.draining) this.closeAfter(request, response);
    });
  }

  drain(graceMs: number): Promise<DrainOutcome> {
    this.draining ??= this.run(graceMs);
    return this.draining;
  }

  private async run(graceMs: number): Promise<DrainOutcome> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    for (const response of this.inFlight) {
      // Not yet answered: the answer says `connection: close`, and Node closes the connection after it.
      if (!response.headersSent) response.setHeader('connection', 'close');
    }
    let forced = 0;
    const deadline = setTimeout(() => {
      forced = this.inFlight.size;
      this.server.closeAllConnections();
    }, graceMs);
    await closed;
    clearTimeout(deadline);
    return { forced };
  }

  /** A response that was already under way when draining began has ended: its connection goes too. */
  private closeAfter(request: IncomingMessage, response: ServerResponse): void {
    if (response.getHeader('connection') !== 'close') request.socket.end();
  }
}
