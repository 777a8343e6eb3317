/**
 * The fake Daytona in a process of its own (for the benchmark: its pty and sockets then do not share the measuring
 * process's thread). Started with fork(): sends { apiUrl, apiKey } once listening, stops on "stop".
 */
import { fork } from 'node:child_process';
import { FakeDaytona } from './fakeDaytona';

export interface FakeDaytonaProcess {
  apiUrl: string;
  apiKey: string;
  stop(): Promise<void>;
}

export function startFakeDaytonaProcess(): Promise<FakeDaytonaProcess> {
  const child = fork(__filename, ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (m: { apiUrl: string; apiKey: string }) =>
      resolve({
        ...m,
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.send('stop');
          }),
      }),
    );
  });
}

if (require.main === module && process.argv.includes('--serve')) {
  void new FakeDaytona().start().then((fake) => {
    process.send?.({ apiUrl: fake.apiUrl, apiKey: fake.apiKey });
    process.on('message', (m) => {
      if (m === 'stop') void fake.stop().then(() => process.exit(0));
    });
  });
}
