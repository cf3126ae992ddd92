import net from 'node:net';
import tls from 'node:tls';
import {
  type ISocketFactory,
  Kafka,
  logLevel as KafkaLogLevel,
  type LogEntry,
  type RetryOptions,
} from 'kafkajs';
import type { Logger } from '../logger/index.js';
import './request-queue-fix.js';

export interface KafkaClientConfig {
  clientId: string;
  brokers: readonly string[];
  logger: Logger;
  /**
   * Default: reconnect forever with capped backoff, so a broker outage is waited out. A CLI sets
   * a finite count to fail with a message instead.
   */
  retry?: RetryOptions;
}

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

/**
 * kafkajs' own factory leaves Nagle's algorithm on. A connection carries several requests at once
 * (a long-polling fetch beside heartbeats and offset commits), and a small request written while
 * an earlier one is unacknowledged then waits for the peer's delayed ACK: tens of milliseconds
 * added to a hop. TCP_NODELAY sends every request as soon as it is written.
 */
const noDelaySocketFactory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
  const socket = ssl
    ? tls.connect(
        { host, port, ...(net.isIP(host) ? {} : { servername: host }), ...ssl },
        onConnect,
      )
    : net.connect({ host, port }, onConnect);
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 60_000);
  return socket;
};

/**
 * The one place kafkajs is configured. kafkajs is unmaintained, so the rest of the platform
 * reaches it only through `shared/` components and could move to another client here.
 */
export function createKafkaClient(config: KafkaClientConfig): Kafka {
  const logger = config.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: config.clientId,
    brokers: [...config.brokers],
    retry: config.retry ?? {
      initialRetryTime: 100,
      maxRetryTime: 5_000,
      retries: Number.MAX_SAFE_INTEGER,
    },
    socketFactory: noDelaySocketFactory,
    logLevel: KafkaLogLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        logger[levels[level] ?? 'info'](extra, message);
      },
  });
}
