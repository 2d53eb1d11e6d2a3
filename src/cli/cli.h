/* cli.h: the `prospect` command line: global flags, the commands[] table and
 * the exit codes every command follows. Thread: main thread only.
 */
#ifndef PROSPECT_CLI_H
#define PROSPECT_CLI_H

/* Exit codes. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* cli_main(argc, argv, envp): runs the command named in argv; returns the
 * process exit code. envp is the environment the configuration reads. */
int cli_main(int argc, char **argv, char **envp);

#endif
