/**
 * The orderstream command line as a function: `main.ts` runs it on process.argv and exits with
 * the code it returns; tests run it in their own process for what is about parsing and messages,
 * not about the process (test/helpers/cli.ts).
 */
import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { Command, CommanderError, Help } from 'commander';
import { Interrupted, UsageError } from '../domain/errors.js';
import { VERSION } from '../domain/version.js';
import { COMMAND_SUMMARIES, type CommandName } from './commands/summaries.js';

/**
 * Each command's module loads only when that command runs: `status` or `export` does not load
 * the server, the simulation or Kafka, which was most of a short command's time. The root's
 * help and an unknown command's suggestion load none: they list the commands from their
 * summaries (commands/summaries.ts). In the order help lists them.
 */
export const COMMANDS: Record<CommandName, () => Promise<Command>> = {
  serve: async () => (await import('./commands/serve.js')).serveCommand(),
  stream: async () => (await import('./commands/stream.js')).streamCommand(),
  generate: async () => (await import('./commands/generate.js')).generateCommand(),
  scenarios: async () => (await import('./commands/scenarios.js')).scenariosCommand(),
  validate: async () => (await import('./commands/scenarios.js')).validateCommand(),
  markets: async () => (await import('./commands/scenarios.js')).marketsCommand(),
  status: async () => (await import('./commands/store.js')).statusCommand(),
  cleanup: async () => (await import('./commands/store.js')).cleanupCommand(),
  toggle: async () => (await import('./commands/store.js')).toggleCommand(),
  export: async () => (await import('./commands/store.js')).exportCommand(),
  reconcile: async () => (await import('./commands/reconcile.js')).reconcileCommand(),
  inspect: async () => (await import('./commands/inspect.js')).inspectCommand(),
};

/** A command listed by its summary; were a path ever to dispatch to it, it fails loudly rather than exit 0 having done nothing. */
function standIn(name: CommandName): Command {
  return new Command(name)
    .description(COMMAND_SUMMARIES[name].description)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new Error(`internal error: the root help's stand-in for '${name}' was run instead of the command`);
    });
}

/**
 * A `.env` file in the working directory (or the one ORDERSTREAM_ENV_FILE names) supplies
 * settings, as twelve-factor tools and the streaming server's documented setup expect;
 * variables already set in the environment win. Node's own parser: no dependency for it.
 */
function loadEnvFile(): void {
  const file = resolvePath(process.env.ORDERSTREAM_ENV_FILE ?? '.env');
  if (!existsSync(file)) {
    if (process.env.ORDERSTREAM_ENV_FILE) throw new UsageError(`ORDERSTREAM_ENV_FILE names ${file}, which does not exist`);
    return;
  }
  try {
    process.loadEnvFile(file);
  } catch (err) {
    throw new UsageError(`cannot read the settings file ${file}: ${(err as Error).message}`);
  }
}

/**
 * An option that needs a value takes the next word whatever it is, so `generate --out --quiet`
 * would write into a directory named `--quiet` (and run without --quiet). A value that is
 * itself a long option is refused instead, naming both; a path that really starts with `--`
 * can still be given as `./--name`.
 */
function refuseOptionsTakenAsValues(command: Command): void {
  const values = command.opts();
  for (const option of command.options) {
    const value = values[option.attributeName()];
    if (option.required && typeof value === 'string' && /^--[a-z]/.test(value)) {
      throw new UsageError(`${option.long ?? option.flags}: expected a value, got the option '${value}' (an option that takes a value needs one right after it)`);
    }
  }
}

/**
 * Runs one command line (`argv` as process.argv: node, the script, then the arguments). Resolves
 * to the exit code to leave with, or undefined when the command has finished and the process
 * ends on its own (with process.exitCode, if the command set one). An error that is not the
 * user's rejects, as it always did: a crash with its stack.
 */
export async function runCommandLine(argv: readonly string[]): Promise<number | undefined> {
  const program = new Command('orderstream')
    .description('Realistic, deterministic commerce data: orders, customers, stock, payments, shipments')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)');
  const args = argv.slice(2);
  // The command is the first operand, as commander finds it: after a leading `--` (a wrapper such as
  // `pnpm run cli -- serve` passes one on); any option before it ends the dispatch (help, or an error).
  const operands = args[0] === '--' ? args.slice(1) : args;
  const named = operands[0];
  const isCommand = (name: string | undefined): name is CommandName => name !== undefined && Object.hasOwn(COMMANDS, name);
  const helpTarget = named === 'help' ? operands.slice(1).find((a) => a !== '--') : undefined;
  // Only the command named is loaded (`help NAME` loads NAME); --version needs none; the root's help and an
  // unknown name list every command by its summary, each a stand-in that is not meant to run.
  const loaded = isCommand(named) ? named : isCommand(helpTarget) ? helpTarget : null;
  if (args[0] !== '--version' && args[0] !== '-V') {
    for (const name of Object.keys(COMMANDS) as CommandName[]) {
      if (name === loaded) program.addCommand(await COMMANDS[name]());
      else if (!isCommand(named)) program.addCommand(standIn(name));
    }
  }
  const standard = new Help();
  program.configureHelp({ subcommandTerm: (cmd) => (isCommand(cmd.name()) ? COMMAND_SUMMARIES[cmd.name() as CommandName].term : standard.subcommandTerm(cmd)) });

  program.exitOverride();
  for (const command of program.commands) command.exitOverride();
  program.hook('preAction', (_root, command) => refuseOptionsTakenAsValues(command));

  try {
    loadEnvFile();
    await program.parseAsync([...argv]);
    return undefined;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof Interrupted) {
      process.stderr.write(`orderstream: ${err.message}\n`);
      return 130;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`orderstream: ${err.message}\n`);
      return 2;
    }
    // By name: importing the class would load the batch engine into every command.
    if (err instanceof Error && err.name === 'ValidationFailed') {
      process.stderr.write(`orderstream: ${err.message}\nnothing was written.\n`);
      return 1;
    }
    throw err;
  }
}
