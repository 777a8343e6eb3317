import * as vscode from 'vscode';
import { KirbyDaytonaError } from '../../run/daytona/errors';
import type { DaytonaClient, DaytonaSettings } from '../../run/daytona/sdkAdapter';
import { Command } from '../commandIds';
import type { Settings } from '../config';

const KEY_SECRET = 'kirby.daytona.apiKey';

/**
 * The Daytona API key (SecretStorage only: never a setting, never logged) and clients made from it and the
 * settings. The SDK is loaded on the first call that needs it, never at activation.
 */
export class DaytonaAccess {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly settings: Settings,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async settingsWithKey(): Promise<DaytonaSettings> {
    return {
      apiKey: (await this.secrets.get(KEY_SECRET)) || undefined,
      apiUrl: this.settings.daytonaApiUrl.value,
      target: this.settings.daytonaTarget.value,
    };
  }

  /** A connected client; throws KirbyDaytonaError('no-key') before any request when no key is set. */
  async client(): Promise<DaytonaClient> {
    const { connectDaytona } = await import('../../run/daytona/sdkAdapter');
    return connectDaytona(await this.settingsWithKey());
  }

  /** "Kirby: Set Daytona API Key": asks for it (hidden), checks it against the API, stores it in SecretStorage. */
  async setKey(): Promise<boolean> {
    const key = await vscode.window.showInputBox({
      title: 'Kirby: Daytona API Key',
      prompt: `A key from the Daytona dashboard (Keys). It is kept in VS Code's secret storage and sent only to ${this.settings.daytonaApiUrl.value}.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'The key is empty.'),
    });
    if (!key?.trim()) return false;
    const { connectDaytona } = await import('../../run/daytona/sdkAdapter');
    const checked = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Kirby: checking the Daytona key…' }, async () => {
      try {
        const client = await connectDaytona({ apiKey: key.trim(), apiUrl: this.settings.daytonaApiUrl.value, target: this.settings.daytonaTarget.value });
        await client.list({ kirby: '1' });
        await client.dispose();
        return undefined;
      } catch (e) {
        return e;
      }
    });
    if (checked instanceof KirbyDaytonaError && (checked.failure === 'unauthorized' || checked.failure === 'forbidden')) {
      void vscode.window.showErrorMessage(`Kirby: Daytona refused this key (${checked.status ?? checked.failure}). It was not saved.`);
      return false;
    }
    await this.secrets.store(KEY_SECRET, key.trim());
    if (checked) {
      // the key may well be right: the API could not be reached to check it
      this.log.warn(`Daytona key saved unchecked: ${(checked as Error).message}`);
      void vscode.window.showWarningMessage(`Kirby saved the Daytona key but could not check it: ${(checked as Error).message}`);
    } else {
      void vscode.window.showInformationMessage('Kirby: the Daytona key works and is saved in secret storage.');
    }
    return true;
  }

  async clearKey(): Promise<void> {
    await this.secrets.delete(KEY_SECRET);
    void vscode.window.showInformationMessage('Kirby: the Daytona API key was removed from secret storage.');
  }

  /** Shows a Daytona failure with the action that fixes it (set the key, open the settings, read the log). */
  async showError(e: unknown, doing: string): Promise<void> {
    const error = e instanceof Error ? e : new Error(String(e));
    this.log.error(`${doing}: ${error.message}`);
    const keyProblem = e instanceof KirbyDaytonaError && (e.failure === 'no-key' || e.failure === 'unauthorized');
    const actions = keyProblem ? ['Set Daytona API Key', 'Show Log'] : ['Open Settings', 'Show Log'];
    const choice = await vscode.window.showErrorMessage(`Kirby could not ${doing}: ${error.message}`, ...actions);
    if (choice === 'Set Daytona API Key') await vscode.commands.executeCommand(Command.SetDaytonaApiKey);
    else if (choice === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'kirby.daytona');
    else if (choice === 'Show Log') this.log.show();
  }
}
