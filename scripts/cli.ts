import { parseArgs } from 'node:util';
import { bootstrap } from '../src/runtime.ts';
import { connectDatabase, disconnectDatabase, syncIndexes } from '../src/db.ts';
import { AppError } from '../src/errors.ts';
import { parseInput } from '../src/http/parse.ts';
import { toLang, translator, type TFunction } from '../src/i18n/index.ts';
import type { AnyActor } from '../src/auth/actor.ts';
import { GroupInputSchema, InstitutionInputSchema, saveGroup, saveInstitution } from '../src/institutions/service.ts';
import { NewUserSchema, createUser } from '../src/users/service.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '../src/auth/tokens.ts';
import { seedDemo } from '../src/demo/seed.ts';

/**
 * The admin CLI: `npm run cli -- <command> [options]`. It works on the same database as the service,
 * whether or not the service runs (it starts the embedded FerretDB for itself when needed).
 */
const actor: AnyActor = { kind: 'cli' };
const options = {
  code: { type: 'string' },
  name: { type: 'string' },
  type: { type: 'string' },
  address: { type: 'string' },
  base: { type: 'boolean' },
  'base-from': { type: 'string' },
  'base-to': { type: 'string' },
  institution: { type: 'string' },
  capacity: { type: 'string' },
  email: { type: 'string' },
  password: { type: 'string' },
  role: { type: 'string' },
  language: { type: 'string' },
  id: { type: 'string' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];
type Command = (v: Values, t: TFunction) => Promise<string[]>;

const commands: Record<string, Command> = {
  'institution:add': async (v, t) => {
    const input = parseInput(InstitutionInputSchema, {
      code: v.code,
      name: v.name,
      type: v.type,
      address: v.address,
      base: v.base,
      baseFrom: v['base-from'],
      baseTo: v['base-to'],
    });
    const { created } = await saveInstitution(actor, input);
    return [t(created ? 'cli.institutionCreated' : 'cli.institutionUpdated', { code: input.code })];
  },
  'group:add': async (v, t) => {
    const input = parseInput(GroupInputSchema, { institution: v.institution, name: v.name, capacity: v.capacity });
    const { created } = await saveGroup(actor, input);
    return [t(created ? 'cli.groupCreated' : 'cli.groupUpdated', { name: input.name, capacity: input.capacity, institution: input.institution })];
  },
  'user:add': async (v, t) => {
    const input = parseInput(NewUserSchema, { email: v.email, password: v.password, role: v.role, institution: v.institution, name: v.name, language: v.language });
    await createUser(actor, input);
    return [t('cli.userCreated', { email: input.email, role: input.role })];
  },
  'token:create': async (v, t) => {
    if (!v.email) throw new CliUsage(t('cli.missingOption', { name: 'email' }));
    const { id, token } = await createApiToken(actor, v.email, v.name ?? '');
    // The token alone on the last line, so scripts can take it with `tail -n 1`.
    return [t('cli.tokenCreated', { email: v.email, id }), token];
  },
  'token:list': async (v, t) => {
    if (!v.email) throw new CliUsage(t('cli.missingOption', { name: 'email' }));
    const tokens = await listApiTokens(v.email);
    return tokens.map((k) => t('cli.tokenLine', { id: k.id, prefix: k.prefix, name: k.name, state: k.revokedAt ? t('cli.tokenRevokedState') : t('cli.tokenActive') }));
  },
  'token:revoke': async (v, t) => {
    if (!v.id) throw new CliUsage(t('cli.missingOption', { name: 'id' }));
    await revokeApiToken(actor, v.id);
    return [t('cli.tokenRevoked', { id: v.id })];
  },
  'demo:seed': async (_v, t) => [t('cli.seeded', await seedDemo(actor))],
};

class CliUsage extends Error {}

function describeError(err: unknown, t: TFunction): string {
  if (err instanceof CliUsage) return err.message;
  if (err instanceof AppError) {
    const fields = (err.details?.fields as Array<{ field: string; code: string }> | undefined) ?? [];
    const extra = fields.map((f) => `  --${f.field.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}: ${t(`errors.${f.code}`, { defaultValue: f.code })}`);
    return [`${t('cli.error')}: ${t(`errors.${err.code}`, { defaultValue: err.code })}`, ...extra].join('\n');
  }
  return `${t('cli.error')}: ${(err as Error).message}`;
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ options, allowPositionals: true, strict: true });
  } catch (err) {
    const t = translator('lv');
    console.error(t('cli.badOption', { message: (err as Error).message }));
    console.error(t('cli.usage'));
    return 2;
  }
  const t = translator(toLang(parsed.values.lang));
  const name = parsed.positionals[0];
  const command = name ? commands[name] : undefined;
  if (!command || parsed.values.help) {
    if (name && !command) console.error(t('cli.unknownCommand', { command: name }));
    console.error(t('cli.usage'));
    return name && !parsed.values.help ? 2 : 0;
  }
  const { logger, connections } = await bootstrap('cli', { needRedis: false, logToStderr: true });
  try {
    await connectDatabase(connections.mongoUri, logger, 5);
    await syncIndexes();
    await connections.afterIndexSync();
    for (const line of await command(parsed.values, t)) console.log(line);
    return 0;
  } catch (err) {
    console.error(describeError(err, t));
    return err instanceof AppError || err instanceof CliUsage ? 1 : 3;
  } finally {
    await disconnectDatabase();
    await connections.stopOwned();
  }
}

process.exitCode = await main();
