/**
 * What a command needs from the outside world. `runMain` builds the real one from the
 * process; tests build their own, so every command runs in-process and is observable.
 */
export interface CliContext {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads all of standard input (for the `-` path). */
  readStdin: () => Promise<string>;
  /** True when stdout is a terminal: colours and progress only then. */
  isTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Set by a command: 0 clean, 1 findings at/above threshold, 2 usage or input error. */
  exitCode: number;
}
