import type { Circus } from '@jest/types';
import NodeEnvironment from 'jest-environment-node';

/** Tells the test file whether the test that just ran failed, so that its afterEach keeps a screenshot and the HTML. */
export default class BrowserTestEnvironment extends NodeEnvironment {
  async handleTestEvent(event: Circus.Event): Promise<void> {
    if (event.name === 'test_start') this.global.__BROWSER_TEST__ = { name: testName(event.test), failed: false };
    if ((event.name === 'test_fn_failure' || event.name === 'hook_failure') && this.global.__BROWSER_TEST__) (this.global.__BROWSER_TEST__ as { failed: boolean }).failed = true;
  }
}

function testName(test: Circus.TestEntry): string {
  const names: string[] = [];
  for (let block: Circus.TestEntry | Circus.DescribeBlock | undefined = test; block && block.name !== 'ROOT_DESCRIBE_BLOCK'; block = block.parent) names.unshift(block.name);
  return names.join(' › ');
}
