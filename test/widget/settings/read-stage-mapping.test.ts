import { expect } from 'chai';
import { readStageMapping } from '../../../widget/src/settings/read-stage-mapping.ts';

describe('readStageMapping', () => {
  it('maps a status given both ids, and skips one left empty', () => {
    const errors = {};
    const v = { 'map.paid.pipelineId': '10', 'map.paid.statusId': ' 142 ' };
    expect(readStageMapping(v, errors)).to.deep.equal({ paid: { pipelineId: 10, statusId: 142 } });
    expect(errors).to.deep.equal({});
  });

  it('names the missing half of a pair, and a non-integer id, without mapping the status', () => {
    const errors: Record<string, string> = {};
    const v = { 'map.paid.statusId': '142', 'map.expired.pipelineId': '1.5', 'map.expired.statusId': '3' };
    expect(readStageMapping(v, errors)).to.deep.equal({});
    expect(errors).to.deep.equal({ 'map.paid.pipelineId': 'setup.pair', 'map.expired.pipelineId': 'setup.integer' });
  });
});
