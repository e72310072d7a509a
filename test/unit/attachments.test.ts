import { checkPostPolicy, parseMultipart, policySignature } from '../../infra/local/s3-local';
import type { Application } from '../../layers/domain/application';
import { parseInstant } from '../../layers/domain/calendar';
import { newCampaign } from '../../layers/domain/campaign';
import { defaultCampaign } from '../../layers/domain/default-campaign';
import {
  assertAttachmentsEditable,
  assertClean,
  assertRoomFor,
  attachmentCreateSchema,
  attachmentStatusLabels,
  DOWNLOAD_VALID_SECONDS,
  infectedAttachmentEmail,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  statusOf,
  UPLOAD_VALID_SECONDS,
} from '../../layers/domain/attachment';
import { DomainError } from '../../layers/domain/errors';
import { outcome, thrown } from './support/outcome';

describe('the status of an attachment', () => {
  it.each([
    [false, undefined, 'en_attente'],
    [true, undefined, 'en_analyse'],
    [true, 'NO_THREATS_FOUND', 'sain'],
    [true, 'THREATS_FOUND', 'infecte'],
    // Not known to be clean: never downloadable.
    [true, 'UNSUPPORTED', 'en_analyse'],
    [true, 'ACCESS_DENIED', 'en_analyse'],
    [true, 'FAILED', 'en_analyse'],
  ] as const)('uploaded %s, tag %s: %s', (uploaded, tag, status) => {
    expect(statusOf(uploaded, tag)).toBe(status);
  });

  it('only a clean one may be downloaded', () => {
    expect(() => assertClean('sain')).not.toThrow();
    for (const status of ['en_attente', 'en_analyse', 'infecte'] as const) {
      expect(() => assertClean(status)).toThrow(expect.objectContaining({ code: 'attachment_not_clean' }) as unknown as DomainError);
    }
  });

  it('ten per application', () => {
    expect(() => assertRoomFor(9)).not.toThrow();
    expect(() => assertRoomFor(10)).toThrow(expect.objectContaining({ code: 'too_many_attachments' }) as unknown as DomainError);
  });

  it('PDF, JPEG or PNG, from 1 byte to 10 MB', () => {
    const ok = (body: unknown) => attachmentCreateSchema.safeParse(body).success;
    expect(ok({ name: 'a.pdf', contentType: 'application/pdf', size: MAX_ATTACHMENT_BYTES })).toBe(true);
    expect(ok({ name: 'a.png', contentType: 'image/png', size: 1 })).toBe(true);
    expect(ok({ name: 'a.pdf', contentType: 'application/pdf', size: MAX_ATTACHMENT_BYTES + 1 })).toBe(false);
    expect(ok({ name: 'a.gif', contentType: 'image/gif', size: 10 })).toBe(false);
    expect(ok({ name: 'a/b.pdf', contentType: 'application/pdf', size: 10 })).toBe(false);
    expect(ok({ name: 'a.pdf', contentType: 'application/pdf', size: 1.5 })).toBe(false);
  });
});

describe('attachment limits', () => {
  const body = (overrides: Record<string, unknown>) => ({ name: 'projet.pdf', contentType: 'application/pdf', size: 1000, ...overrides });
  const messages = (value: unknown) => {
    const result = attachmentCreateSchema.safeParse(value);
    return result.success ? [] : result.error.issues.map((issue) => [issue.path.join('.'), issue.message]);
  };

  it('are 10 MB a file, 10 files a dossier, 15 minutes to upload and 5 to download', () => {
    expect(MAX_ATTACHMENT_BYTES).toBe(10_485_760);
    expect(MAX_ATTACHMENTS).toBe(10);
    expect(UPLOAD_VALID_SECONDS).toBe(900);
    expect(DOWNLOAD_VALID_SECONDS).toBe(300);
  });

  it.each(['application/pdf', 'image/jpeg', 'image/png'])('accepts a file of type %s', (contentType) => {
    expect(messages(body({ contentType }))).toEqual([]);
  });

  it.each(['image/gif', 'text/html', 'application/PDF', ''])('refuses a file of type "%s", naming the three accepted', (contentType) => {
    expect(messages(body({ contentType }))).toEqual([['contentType', 'Type accepté : PDF (application/pdf), JPEG (image/jpeg) ou PNG (image/png)']]);
  });

  it('accepts 1 byte and exactly 10 MB, refuses an empty file and one byte more than 10 MB', () => {
    expect(messages(body({ size: 1 }))).toEqual([]);
    expect(messages(body({ size: MAX_ATTACHMENT_BYTES }))).toEqual([]);
    expect(messages(body({ size: 0 }))).toEqual([['size', 'Le fichier est vide']]);
    expect(messages(body({ size: MAX_ATTACHMENT_BYTES + 1 }))).toEqual([['size', 'Un fichier joint ne dépasse pas 10 Mo']]);
  });

  it('accepts a name of 1 to 200 characters once trimmed, and keeps it trimmed', () => {
    expect(attachmentCreateSchema.parse(body({ name: '  devis signé.pdf ' })).name).toBe('devis signé.pdf');
    expect(messages(body({ name: 'a' }))).toEqual([]);
    expect(messages(body({ name: 'a'.repeat(200) }))).toEqual([]);
    expect(messages(body({ name: 'a'.repeat(201) })).map(([path]) => path)).toEqual(['name']);
    expect(messages(body({ name: '   ' })).map(([path]) => path)).toContain('name');
    expect(messages(body({ name: '' })).map(([path]) => path)).toContain('name');
  });

  it.each(['dossier/projet.pdf', 'dossier\\projet.pdf', 'projet\u0000.pdf', 'projet\n.pdf', 'projet\u001f.pdf', 'projet\u007f.pdf'])(
    'refuses the name %j: no path separator nor control character',
    (name) => {
      expect(messages(body({ name }))).toEqual([['name', 'Nom de fichier invalide (ni caractère de contrôle, ni / ni \\)']]);
    },
  );

  it('refuses a field it does not know', () => {
    expect(messages(body({ key: 'applications/A/PJ-1' }))).toHaveLength(1);
  });
});

describe('what the applicant reads of an attachment', () => {
  it.each([
    ['en_attente', 'En attente du fichier'],
    ['en_analyse', 'Analyse antivirus en cours'],
    ['sain', 'Vérifié'],
    ['infecte', 'Refusé : logiciel malveillant détecté'],
  ] as const)('status %s reads "%s"', (status, label) => {
    expect(attachmentStatusLabels[status]).toBe(label);
  });

  it.each([
    ['infecte', "Ce fichier a été refusé : l'analyse antivirus y a détecté un logiciel malveillant. Il ne peut pas être téléchargé."],
    ['en_analyse', "Ce fichier est en cours d'analyse antivirus : il pourra être téléchargé une fois l'analyse terminée."],
    ['en_attente', "Ce fichier n'a pas encore été déposé."],
  ] as const)('a download of a file %s is refused with "%s"', (status, detail) => {
    expect(thrown(() => assertClean(status))).toMatchObject({ code: 'attachment_not_clean', detail });
  });

  it('an eleventh file is refused, saying how many a dossier holds', () => {
    expect(outcome(() => assertRoomFor(0))).toBe('ok');
    expect(outcome(() => assertRoomFor(9))).toBe('ok');
    expect(thrown(() => assertRoomFor(10))).toMatchObject({
      code: 'too_many_attachments',
      detail: "Un dossier compte au plus 10 pièces jointes : supprimez-en une avant d'en ajouter une autre.",
    });
    expect(outcome(() => assertRoomFor(11))).toBe('too_many_attachments');
  });
});

describe('when attachments may change', () => {
  const at = (text: string): Date => parseInstant(text)!;
  const campaign = newCampaign(defaultCampaign, at('2023-08-01T00:00:00+02:00'));
  const duringIntake = at('2023-10-12T14:05:00+02:00');

  it.each([
    ['brouillon', 'ok'],
    ['deposee', 'ok'],
    ['en_instruction', 'invalid_transition'],
    ['retenue', 'invalid_transition'],
    ['non_retenue', 'invalid_transition'],
    ['sans_suite', 'invalid_transition'],
  ] as const)('during the intake, a dossier %s: %s', (status, expected) => {
    expect(outcome(() => assertAttachmentsEditable({ status }, campaign, duringIntake))).toBe(expected);
  });

  it('says the status of a dossier whose attachments are frozen', () => {
    expect(thrown(() => assertAttachmentsEditable({ status: 'en_instruction' }, campaign, duringIntake)).detail).toBe(
      'Le dossier est en instruction : ses pièces jointes ne peuvent plus changer.',
    );
    expect(thrown(() => assertAttachmentsEditable({ status: 'retenue' }, campaign, duringIntake)).detail).toBe('Le dossier est retenu : ses pièces jointes ne peuvent plus changer.');
  });

  it('only while the intake is open, even for a draft', () => {
    expect(outcome(() => assertAttachmentsEditable({ status: 'brouillon' }, campaign, at('2023-08-31T23:59:59+02:00')))).toBe('intake_not_open');
    expect(outcome(() => assertAttachmentsEditable({ status: 'brouillon' }, campaign, at('2023-09-01T00:00:00+02:00')))).toBe('ok');
    expect(outcome(() => assertAttachmentsEditable({ status: 'deposee' }, campaign, at('2023-10-31T23:59:59+01:00')))).toBe('ok');
    expect(outcome(() => assertAttachmentsEditable({ status: 'deposee' }, campaign, at('2023-11-01T00:00:00+01:00')))).toBe('intake_closed');
  });
});

describe('the email sent when a scan finds malware', () => {
  const application = {
    id: 'MES-7K3M9Q2X',
    name: 'EHPAD Les Tilleuls',
    ownerEmail: 'direction@ehpad.local',
    collaborators: [
      { email: 'adjoint@ehpad.local', invitedAt: '2023-10-01T10:00:00+02:00', invitedBy: 'porteur', joinedAt: '2023-10-02T10:00:00+02:00' },
      { email: 'invite@ehpad.local', invitedAt: '2023-10-01T10:00:00+02:00', invitedBy: 'porteur' },
    ],
    contact: { name: 'Claire Martin', email: 'contact@ehpad.local', phone: '05 56 00 00 00' },
  } as unknown as Application;

  it('is sent to the holders of the file, names the file and the dossier, and says what to do', () => {
    const message = infectedAttachmentEmail(application, 'devis.pdf');
    expect(message.to).toEqual(['direction@ehpad.local', 'adjoint@ehpad.local']);
    expect(message.subject).toBe('Dossier n° MES-7K3M9Q2X : une pièce jointe a été refusée');
    expect(message.text).toBe(
      [
        'Bonjour Claire Martin,',
        '',
        "L'analyse antivirus a détecté un logiciel malveillant dans le fichier « devis.pdf » joint au dossier n° MES-7K3M9Q2X (EHPAD Les Tilleuls).",
        'Ce fichier a été refusé : personne ne peut le télécharger, et il sera effacé.',
        '',
        'Vérifiez votre poste avec votre antivirus, supprimez la pièce refusée depuis votre dossier, puis déposez une version saine du document.',
        '',
        "L'équipe de l'expérimentation Mon espace santé en établissements et services médico-sociaux",
        'Ceci est un message automatique : merci de ne pas y répondre.',
      ].join('\n'),
    );
  });

  it('greets without a name and names no structure when the dossier has none yet', () => {
    const lines = infectedAttachmentEmail({ ...application, contact: undefined, name: undefined } as unknown as Application, 'scan.png').text.split('\n');
    expect(lines[0]).toBe('Bonjour,');
    expect(lines[2]).toBe("L'analyse antivirus a détecté un logiciel malveillant dans le fichier « scan.png » joint au dossier n° MES-7K3M9Q2X.");
    expect(infectedAttachmentEmail({ ...application, contact: { name: '' } } as unknown as Application, 'scan.png').text.split('\n')[0]).toBe('Bonjour,');
  });
});

describe("the local S3's check of a presigned POST (what s3rver does not do)", () => {
  const secret = 'local';
  const date = '20261201';
  const expiration = new Date(Date.now() + 60_000).toISOString();
  const policyOf = (conditions: unknown[], until = expiration) => Buffer.from(JSON.stringify({ expiration: until, conditions })).toString('base64');
  const conditions = [{ bucket: 'b' }, { key: 'applications/A/PJ-1' }, ['content-length-range', 10, 10], ['eq', '$Content-Type', 'application/pdf'], { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' }, { 'X-Amz-Credential': `local/${date}/eu-west-3/s3/aws4_request` }, { 'X-Amz-Date': `${date}T000000Z` }];
  const form = (policy: string, file: Buffer, overrides: Record<string, string> = {}) => {
    const fields: Record<string, string> = {
      key: 'applications/A/PJ-1',
      'Content-Type': 'application/pdf',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `local/${date}/eu-west-3/s3/aws4_request`,
      'X-Amz-Date': `${date}T000000Z`,
      Policy: policy,
      'X-Amz-Signature': policySignature(secret, date, 'eu-west-3', policy),
      ...overrides,
    };
    return [...Object.entries(fields).map(([name, value]) => ({ name, data: Buffer.from(value) })), { name: 'file', filename: 'f', data: file }];
  };
  const check = (parts: ReturnType<typeof form>) => checkPostPolicy(parts, 'b', { accessKeyId: 'local', secretAccessKey: secret });

  it('stores the declared file', () => {
    expect(check(form(policyOf(conditions), Buffer.alloc(10)))).toBeUndefined();
  });

  it.each([
    ['a larger file', form(policyOf(conditions), Buffer.alloc(11)), 'EntityTooLarge'],
    ['a smaller file', form(policyOf(conditions), Buffer.alloc(9)), 'EntityTooSmall'],
    ['another type', form(policyOf(conditions), Buffer.alloc(10), { 'Content-Type': 'text/html' }), 'AccessDenied'],
    ['another key', form(policyOf(conditions), Buffer.alloc(10), { key: 'applications/B/PJ-2' }), 'AccessDenied'],
    ['a field the policy does not name', form(policyOf(conditions), Buffer.alloc(10), { acl: 'public-read' }), 'AccessDenied'],
    ['an expired policy', form(policyOf(conditions, new Date(Date.now() - 1000).toISOString()), Buffer.alloc(10)), 'AccessDenied'],
    ['a forged signature', form(policyOf(conditions), Buffer.alloc(10), { 'X-Amz-Signature': '0'.repeat(64) }), 'AccessDenied'],
    ['another access key', form(policyOf(conditions), Buffer.alloc(10), { 'X-Amz-Credential': `other/${date}/eu-west-3/s3/aws4_request` }), 'InvalidAccessKeyId'],
  ])('refuses %s', (_label, parts, code) => {
    expect(check(parts)?.code).toBe(code);
  });

  it('reads a multipart body as the browser sends it', async () => {
    const body = new FormData();
    body.append('key', 'applications/A/PJ-1');
    body.append('file', new Blob([Buffer.from('%PDF-1.4\r\n--not-a-boundary\r\n')], { type: 'application/pdf' }), 'f.pdf');
    const request = new Request('http://localhost/', { method: 'POST', body });
    const parts = parseMultipart(Buffer.from(await request.arrayBuffer()), request.headers.get('content-type')!);
    expect(parts?.map((part) => [part.name, part.data.toString()])).toEqual([
      ['key', 'applications/A/PJ-1'],
      ['file', '%PDF-1.4\r\n--not-a-boundary\r\n'],
    ]);
  });
});
