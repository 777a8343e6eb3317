// No vscode import: the manifest unit test compares these names with package.json.

/** The tools, as contributed in package.json (`contributes.languageModelTools`); a unit test keeps the two in step. */
export const AGENT_TOOLS = {
  startBuild: 'kirby_start_build',
  buildStatus: 'kirby_build_status',
  buildLogs: 'kirby_build_logs',
  processStatus: 'kirby_process_status',
  runDevServer: 'kirby_run_dev_server',
} as const;
