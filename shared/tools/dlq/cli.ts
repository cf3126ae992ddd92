// `npm run dlq -- list|replay|purge --service <name> ...`: parses, runs list/replay/purge, prints.
import { ConfigError, loadConfig } from '@saga/shared/config';
import { createKafkaClient } from '@saga/shared/kafka';
import { createLogger } from '@saga/shared/logger';
import { serviceSettingsSchema } from '@saga/shared/service';
import { parseCommand, USAGE, UsageError } from './args.js';
import { DlqToolError } from './errors.js';
import { listDeadLetters } from './list.js';
import { entryJson, renderResult, renderTable } from './print.js';
import { purgeDeadLetters } from './purge.js';
import { replayDeadLetters } from './replay.js';

async function main(argv: readonly string[]): Promise<number> {
  const command = parseCommand(argv);
  if (command.kind === 'help') {
    console.log(USAGE);
    return 0;
  }
  // The services' own variables: the tool must name topics exactly as they do.
  const { KAFKA_BROKERS, KAFKA_TOPIC_PREFIX } = loadConfig(
    serviceSettingsSchema.pick({ KAFKA_BROKERS: true, KAFKA_TOPIC_PREFIX: true }),
  );
  // The tool reports failures itself; kafkajs' retry chatter would bury them.
  const logger = createLogger({ service: 'dlq-tool', level: 'silent' });
  const kafka = createKafkaClient({
    clientId: 'dlq-tool',
    brokers: KAFKA_BROKERS,
    logger,
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 2_000 },
  });
  const now = new Date();
  const target = { service: command.service, topicPrefix: KAFKA_TOPIC_PREFIX };
  const { json } = command;
  if (command.kind === 'list') {
    const entries = await listDeadLetters(kafka, target);
    console.log(
      json
        ? JSON.stringify(
            entries.map((entry) => entryJson(entry, now)),
            null,
            2,
          )
        : renderTable(entries, now),
    );
    return 0;
  }
  const result =
    command.kind === 'replay'
      ? await replayDeadLetters(kafka, { ...command, ...target, now })
      : await purgeDeadLetters(kafka, { ...command, ...target, now });
  const { dryRun, actions } = result;
  console.log(
    json
      ? JSON.stringify(
          { dryRun, actions: actions.map((a) => ({ ...a, entry: entryJson(a.entry, now) })) },
          null,
          2,
        )
      : renderResult(result, command.kind),
  );
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`${error.message}\nRun with --help for usage.`);
    process.exit(2);
  }
  const known = error instanceof DlqToolError || error instanceof ConfigError;
  console.error(known ? (error as Error).message : `dlq: ${String(error)}`);
  // Exit now: after a failed connect, kafkajs goes on retrying in the background.
  process.exit(1);
}
