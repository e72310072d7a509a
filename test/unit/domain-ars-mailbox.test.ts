import { deploymentArsMailbox, isArsMailboxTemplate, setArsMailboxTemplate, UNCONFIGURED_ARS_MAILBOX } from '../../layers/domain/ars-mailbox';

describe("the deployment's ARS mailboxes", () => {
  afterEach(() => setArsMailboxTemplate(UNCONFIGURED_ARS_MAILBOX));

  it('writes to a visibly unconfigured .invalid address until the deployment says otherwise', () => {
    expect(UNCONFIGURED_ARS_MAILBOX).toBe('ars-{code}@mailbox-not-configured.invalid');
    expect(deploymentArsMailbox('NAQ')).toBe('ars-naq@mailbox-not-configured.invalid');
  });

  it("puts the ARS code in lower case in place of {code} of the deployment's template", () => {
    setArsMailboxTemplate('mes.{code}.contact@ars.sante.example');
    expect(['NAQ', 'IDF', 'occ'].map(deploymentArsMailbox)).toEqual(['mes.naq.contact@ars.sante.example', 'mes.idf.contact@ars.sante.example', 'mes.occ.contact@ars.sante.example']);
  });

  it.each([
    ['ars-{code}@ars.example'],
    ['{code}@ars.example'],
    ['{code}-mes@ars.sante.example'],
    ['mes.{code}@a.b'],
  ])('takes %s as a template', (template) => {
    expect(isArsMailboxTemplate(template)).toBe(true);
    setArsMailboxTemplate(template);
    expect(deploymentArsMailbox('ARA')).toBe(template.replace('{code}', 'ara'));
  });

  it.each([
    ['no {code}', 'ars@ars.example'],
    ['{code} after the @', 'ars@{code}.example'],
    ['two @', 'a@{code}@ars.example'],
    ['no @', 'ars-{code}.ars.example'],
    ['a domain without a dot', '{code}@localhost'],
    ['nothing before the dot of the domain', '{code}@.example'],
    ['nothing after the dot of the domain', '{code}@ars.'],
    ['a space before the address', ' {code}@ars.example'],
    ['a space in the local part', 'ars {code}@ars.example'],
    ['a space after the {code}', '{code} x@ars.example'],
    ['a space in the domain', '{code}@ars example.fr'],
    ['a space after the address', '{code}@ars.example '],
    ['text after the address', '{code}@ars.example x'],
    ['an empty text', ''],
  ])('refuses a template with %s, naming it, and keeps the previous one', (_what, template) => {
    setArsMailboxTemplate('mes-{code}@ars.example');
    expect(isArsMailboxTemplate(template)).toBe(false);
    expect(() => setArsMailboxTemplate(template)).toThrow(new RangeError(`ARS mailbox template must be an address with {code} before the @: "${template}"`));
    expect(deploymentArsMailbox('NAQ')).toBe('mes-naq@ars.example');
  });
});
