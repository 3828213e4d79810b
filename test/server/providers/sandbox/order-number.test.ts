import { expect } from 'chai';
import { ProviderError } from '../../../../server/providers/errors.ts';
import { sandboxProvider } from '../../../../server/providers/sandbox/index.ts';
import { SECRET } from './fixtures.ts';

describe('sandbox orderNo', () => {
  const orderNo = (counter: number) =>
    sandboxProvider.orderNo({ counter, attemptId: 'a', mode: 'test', credentials: { webhookSecret: SECRET } });

  it('numbers orders sbx-{counter}', () => {
    expect(orderNo(12)).to.equal('sbx-12');
  });

  it('refuses a counter that is not a positive integer instead of numbering an order sbx-0', () => {
    for (const bad of [0, -1, 1.5]) expect(() => orderNo(bad), String(bad)).to.throw(ProviderError, 'positive integer');
  });
});
