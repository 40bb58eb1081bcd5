/** Runs the CLI in-process and captures what it prints. */
import { runMain } from '../../src/cli/main.js';
import type { CliContext } from '../../src/cli/context.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], options: { stdin?: string; cwd?: string; isTTY?: boolean } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const ctx: CliContext = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readStdin: () => Promise.resolve(options.stdin ?? ''),
    isTTY: options.isTTY ?? false,
    env: {},
    cwd: options.cwd ?? process.cwd(),
    exitCode: 0,
  };
  const code = await runMain(argv, ctx);
  return { code, stdout, stderr };
}
