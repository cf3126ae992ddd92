import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import {
  dropDatabases,
  freePorts,
  type ProcessKind,
  serviceDatabaseName,
} from '../launcher/index.js';
import { SERVICE_NAMES } from '../services.js';

/** The default ports of every process. */
export const DEFAULT_PORTS: Record<ProcessKind, number> = {
  order: 3000,
  payment: 3001,
  inventory: 3002,
  delivery: 3003,
  gateway: 3004,
};

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Each process's default port, or a free one when something else holds it. */
export async function choosePorts(): Promise<{
  ports: Record<ProcessKind, number>;
  moved: ProcessKind[];
}> {
  const kinds = Object.keys(DEFAULT_PORTS) as ProcessKind[];
  const busy: ProcessKind[] = [];
  for (const kind of kinds) if (!(await isFree(DEFAULT_PORTS[kind]))) busy.push(kind);
  const spare = await freePorts(busy.length);
  const ports = { ...DEFAULT_PORTS };
  busy.forEach((kind, index) => {
    ports[kind] = spare[index]!;
  });
  return { ports, moved: busy };
}

/**
 * Removes what an earlier run left: its databases, topics and consumer groups. Topic deletion is
 * asynchronous in Kafka: waits until the topics are gone, or services would find them still
 * listed, skip creating them, and publish into deleted topics.
 */
export async function resetDemoState(
  admin: Admin,
  { postgresUrl, prefix, suffix }: { postgresUrl: string; prefix: string; suffix: string },
): Promise<void> {
  await dropDatabases(
    postgresUrl,
    SERVICE_NAMES.map((service) => serviceDatabaseName(service, suffix)),
  );
  const ours = (names: string[]) => names.filter((name) => name.startsWith(prefix));
  // A member killed without leaving stays in its group until its session times out (10 s), and
  // the broker refuses to delete a group with members: try again for a while.
  const groupsDeadline = Date.now() + 30_000;
  for (;;) {
    const groups = ours((await admin.listGroups()).groups.map((group) => group.groupId));
    if (groups.length === 0) break;
    const failure = await admin.deleteGroups(groups).then(
      () => undefined,
      (error: Error) => error,
    );
    if (!failure) break;
    if (Date.now() > groupsDeadline) {
      throw new Error(
        `cannot delete the consumer groups ${groups.join(', ')} (${failure.message}): do ` +
          'services of an earlier run still run? `ps -ef | grep service/dist/main.js` shows them',
      );
    }
    await sleep(1_000);
  }
  const topics = ours(await admin.listTopics());
  if (topics.length === 0) return;
  await admin.deleteTopics({ topics });
  const deadline = Date.now() + 60_000;
  while (ours(await admin.listTopics()).length > 0) {
    if (Date.now() > deadline)
      throw new Error(`Kafka still lists the ${prefix}* topics after 60 s`);
    await sleep(250);
  }
}
