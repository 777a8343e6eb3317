/** Starts a fake Daytona and a real SDK client against it; `dispose` ends both. */
import { connectDaytona, type DaytonaClient } from '../../src/run/daytona/sdkAdapter';
import { FakeDaytona, type FakeDaytonaOptions } from './fakeDaytona';

export interface Harness {
  fake: FakeDaytona;
  client: DaytonaClient;
  dispose(): Promise<void>;
}

export async function startHarness(options: FakeDaytonaOptions = {}): Promise<Harness> {
  const fake = await new FakeDaytona(options).start();
  const client = await connectDaytona({ apiKey: fake.apiKey, apiUrl: fake.apiUrl, target: 'us', pollState: true });
  return {
    fake,
    client,
    async dispose() {
      await client.dispose();
      await fake.stop();
    },
  };
}
