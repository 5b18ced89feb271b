/** Command runs a subcommand with its arguments and resolves to the process exit code. */
export type Command = (argv: string[]) => Promise<number>;

/** COMMANDS maps each subcommand to a loader, so `courier --help` does not load the library. */
export const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  serve: async () => (await import('./serve.js')).serveCommand,
  get: async () => (await import('./get.js')).getCommand,
  raw: async () => (await import('./raw.js')).rawCommand,
  echo: async () => (await import('./echo.js')).echoCommand,
  render: async () => (await import('./render.js')).renderCommand,
};
