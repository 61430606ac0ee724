import { type BeforeApplicationShutdown, Logger } from '@nestjs/common';
import pg from 'pg';

/** What a module hears on one channel. */
export interface ChannelHandlers {
  /** A NOTIFY's payload. Postgres delivers it only when the notifying transaction commits. */
  message(payload: string): void;
  /** LISTEN on the channel is in force (first connect and every reconnect). */
  ready?(): void;
  /** The connection was lost: NOTIFYs may be missed until `ready` is called again. */
  lost?(): void;
}

const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Postgres LISTEN for one instance (issues 13 and 18): one dedicated connection (not a pooled one:
 * a listening session must stay open) shared by every channel the modules listen on. Connected on
 * the first `listening` call; after a lost connection (or a failed connect while anyone listens)
 * it reconnects every `reconnectMs` and LISTENs on every channel again, telling the handlers
 * `lost` and then `ready`, so a module that trusts what it heard can stop trusting it in between.
 */
export class DatabaseListener implements BeforeApplicationShutdown {
  private readonly logger = new Logger('DatabaseListener');
  private readonly channels = new Map<string, Set<ChannelHandlers>>();
  /** Channels LISTENed on over the current connection. */
  private readonly listened = new Set<string>();
  private client?: pg.Client;
  private connecting?: Promise<pg.Client>;
  private reconnectTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly reconnectMs = 1000,
  ) {}

  /** Registers `handlers` on `channel` (no I/O); the returned function removes them. */
  on(channel: string, handlers: ChannelHandlers): () => void {
    if (!CHANNEL_NAME.test(channel)) throw new Error(`not a channel name: ${channel}`);
    let set = this.channels.get(channel);
    if (!set) this.channels.set(channel, (set = new Set()));
    set.add(handlers);
    if (this.listened.has(channel)) handlers.ready?.();
    return () => set.delete(handlers);
  }

  /** Resolves once LISTEN on `channel` is in force (connecting if need be). */
  async listening(channel: string): Promise<void> {
    if (this.closed) throw new Error('database listener closed');
    const client = await this.connected();
    if (this.listened.has(channel)) return;
    await client.query(`LISTEN ${channel}`);
    if (client !== this.client) throw new Error('database listener lost its connection');
    if (this.listened.has(channel)) return;
    this.listened.add(channel);
    for (const h of this.channels.get(channel) ?? []) h.ready?.();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private connected(): Promise<pg.Client> {
    this.connecting ??= this.connect().catch((error: unknown) => {
      this.connecting = undefined;
      this.scheduleReconnect();
      throw error;
    });
    return this.connecting;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.url,
      application_name: 'zhongchou-listen',
      // An idle listening connection whose peer vanished without a reset is found by TCP
      // keep-alive and then counts as lost (listeners stop trusting what they heard).
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    client.on('notification', (m) => {
      for (const h of this.channels.get(m.channel) ?? []) h.message(m.payload ?? '');
    });
    let gone = false;
    const lose = (error?: Error) => {
      if (gone) return;
      gone = true;
      void client.end().catch(() => undefined);
      if (this.client !== client) return;
      if (!this.closed) this.logger.warn({ err: error }, 'database listener lost; reconnecting');
      this.client = undefined;
      this.connecting = undefined;
      this.listened.clear();
      for (const set of this.channels.values()) for (const h of set) h.lost?.();
      this.scheduleReconnect();
    };
    client.on('error', lose);
    client.on('end', () => lose());
    await client.connect();
    if (this.closed) {
      await client.end();
      throw new Error('database listener closed');
    }
    this.client = client;
    return client;
  }

  /** While anyone listens: connect again later and LISTEN on every channel. */
  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer || this.channels.size === 0) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void Promise.all([...this.channels.keys()].map((c) => this.listening(c))).catch(
        () => undefined, // connected() scheduled the next attempt
      );
    }, this.reconnectMs);
    this.reconnectTimer.unref();
  }
}
