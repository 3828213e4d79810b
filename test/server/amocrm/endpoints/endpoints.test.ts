import { expect } from 'chai';
import type { AmocrmCall, AmocrmRequester, AmocrmResult } from '../../../../server/amocrm/call.ts';
import { bindEndpoints } from '../../../../server/amocrm/endpoints/index.ts';
import { AmocrmError } from '../../../../server/amocrm/errors.ts';

/** A requester answering from a script, recording every call it was given. */
function scripted(answer: (call: AmocrmCall) => AmocrmResult<unknown> | Error): AmocrmRequester & { calls: AmocrmCall[] } {
  const calls: AmocrmCall[] = [];
  return {
    calls,
    async request<T>(call: AmocrmCall) {
      calls.push(call);
      const out = answer(call);
      if (out instanceof Error) throw out;
      return out as AmocrmResult<T>;
    },
  };
}

async function rejection(p: Promise<unknown>): Promise<AmocrmError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(AmocrmError);
    return err as AmocrmError;
  }
  throw new Error('expected a rejection');
}

describe('amoCRM endpoints: one typed endpoint per resource', () => {
  it('a lead amoCRM does not have (404 or an empty 204) is null, not an error', async () => {
    const api = bindEndpoints(
      scripted((call) =>
        call.path.endsWith('/1') ? new AmocrmError('amocrm_not_found', 'GET answered 404') : { status: 204, data: undefined },
      ),
    );
    expect(await api.leads.get(1)).to.equal(null);
    expect(await api.leads.get(2)).to.equal(null);
  });

  it('an answer in a shape we do not know is amocrm_bad_response, never a guess', async () => {
    const api = bindEndpoints(scripted(() => ({ status: 200, data: { id: 'seven' } })));
    expect((await rejection(api.leads.get(7))).code).to.equal('amocrm_bad_response');
    expect((await rejection(api.pipelines.list())).code).to.equal('amocrm_bad_response');
    expect((await rejection(api.account.get())).code).to.equal('amocrm_bad_response');
  });

  it("reads note texts even when amoCRM sends a note's params as an empty array (PHP's empty object)", async () => {
    const api = bindEndpoints(
      scripted(() => ({
        status: 200,
        data: {
          _embedded: {
            notes: [
              { id: 1, params: [] },
              { id: 2, params: { text: 'paid [dramlink:e1]' } },
            ],
          },
          _links: { self: {} },
        },
      })),
    );
    expect(await api.notes.serviceTexts([5], 1)).to.deep.equal({ texts: ['', 'paid [dramlink:e1]'], hasNext: false });
  });

  it('writes notes and tasks as non-idempotent POSTs (a timeout is checked, never blindly repeated), lead updates as PATCH', async () => {
    const requester = scripted(() => ({ status: 200, data: {} }));
    const api = bindEndpoints(requester);
    await api.notes.add([]);
    await api.tasks.add([]);
    await api.leads.patch([]);
    expect(requester.calls.map((c) => [c.method, c.path, c.idempotent])).to.deep.equal([
      ['POST', '/api/v4/leads/notes', false],
      ['POST', '/api/v4/tasks', false],
      ['PATCH', '/api/v4/leads', undefined],
    ]);
  });

  it('follows custom field pages until amoCRM has no next page', async () => {
    const requester = scripted((call) => {
      const page = Number(call.query?.page);
      const field = { id: page, code: `F${page}`, type: 'text' };
      return { status: 200, data: { _embedded: { custom_fields: [field] }, _links: page < 3 ? { next: { href: 'x' } } : {} } };
    });
    expect((await bindEndpoints(requester).customFields.listLeadFields()).map((f) => f.id)).to.deep.equal([1, 2, 3]);
    expect(requester.calls).to.have.length(3);
  });

  it('gives no user names, rather than an error, when the user list has another shape (a name is a nicety)', async () => {
    expect(await bindEndpoints(scripted(() => ({ status: 200, data: { users: [] } }))).users.list()).to.deep.equal([]);
  });
});
