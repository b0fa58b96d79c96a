import { isPartnerFieldRole, partnerFieldNames } from './partner-field-names.js';

describe('partnerFieldNames', () => {
  it('names the public membership field by the partner key and the behaviour field after it', () => {
    expect(partnerFieldNames('mindspark')).toEqual({
      membership: 'mindspark',
      behaviour: 'mindsparkBehaviour',
      analytics: 'mindspark',
      consent: 'mindsparkConsent',
      account: 'mindsparkAccount',
      export: 'mindsparkExport',
    });
  });

  it('gives every role a name, and only the roles are roles', () => {
    const names = partnerFieldNames('inkwell');
    for (const role of Object.keys(names)) expect(isPartnerFieldRole(role)).toBe(true);
    expect(isPartnerFieldRole('inkwell')).toBe(false);
  });
});
