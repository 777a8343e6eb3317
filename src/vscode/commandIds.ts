// No vscode import: the unit tests compare these ids with package.json.

/** Every command Kirby contributes: one place for the ids (package.json lists the same ids; a unit test checks). */
export enum Command {
  StartBuild = 'kirby.startBuild',
  StopBuild = 'kirby.stopBuild',
  RestartBuild = 'kirby.restartBuild',
  ShowTerminal = 'kirby.showTerminal',
  GoToFirstError = 'kirby.goToFirstError',
  ShowHistory = 'kirby.showHistory',
  ShowActions = 'kirby.showActions',
  ForgetDetectedTools = 'kirby.forgetDetectedTools',
  ShowLog = 'kirby.showLog',
  RunNpmScript = 'kirby.runNpmScript',
  OpenDashboard = 'kirby.openDashboard',
  SetDaytonaApiKey = 'kirby.setDaytonaApiKey',
  ClearDaytonaApiKey = 'kirby.clearDaytonaApiKey',
  StartRemoteBuild = 'kirby.startRemoteBuild',
  ManageSandboxes = 'kirby.manageSandboxes',
  PullFromSandbox = 'kirby.pullFromSandbox',
  OpenPreview = 'kirby.openPreview',
}
