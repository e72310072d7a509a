import { categoryOf, esmsCategories, esmsCategoryCodes, isEsmsCategoryCode } from '../../layers/domain/categories';

describe('ESMS categories', () => {
  it('lists each FINESS category code of DOMAIN.md once', () => {
    expect([...esmsCategoryCodes].sort()).toEqual(
      [
        '500', '501', '502', '202', '207', '381',
        '255', '437', '448', '449', '382', '252', '246', '183', '186', '188', '192', '194', '195', '196', '390', '395', '377', '379',
        '190', '189', '182', '445', '446',
        '354', '460', '209', '640',
      ].sort(),
    );
    expect(new Set(esmsCategoryCodes).size).toBe(esmsCategories.length);
  });

  it.each(['500', '501', '502', '202', '207', '381'])('files %s as an elderly-care establishment', (code) => {
    expect(categoryOf(code)).toMatchObject({ sector: 'PA', mode: 'etablissement' });
  });

  it.each(['255', '437', '448', '449', '382', '252', '246', '183', '186', '188', '192', '194', '195', '196', '390', '395', '377', '379'])(
    'files %s as a disability establishment',
    (code) => {
      expect(categoryOf(code)).toMatchObject({ sector: 'PH', mode: 'etablissement' });
    },
  );

  it('files CAMSP and CMPP as premises, SESSAD, SAMSAH and SAVS as services in the living place', () => {
    expect(categoryOf('190')).toMatchObject({ sector: 'PH', mode: 'etablissement' });
    expect(categoryOf('189')).toMatchObject({ sector: 'PH', mode: 'etablissement' });
    expect(categoryOf('182')).toMatchObject({ sector: 'PH', mode: 'domicile' });
    expect(categoryOf('445')).toMatchObject({ sector: 'PH', mode: 'domicile' });
    expect(categoryOf('446')).toMatchObject({ sector: 'PH', mode: 'domicile' });
  });

  it('files the home-care services as domicile, SSIAD/SAA/SAAS under PA and SAADF under PH', () => {
    expect(categoryOf('354')).toMatchObject({ sector: 'PA', mode: 'domicile' });
    expect(categoryOf('460')).toMatchObject({ sector: 'PA', mode: 'domicile' });
    expect(categoryOf('209')).toMatchObject({ sector: 'PA', mode: 'domicile' });
    expect(categoryOf('640')).toMatchObject({ sector: 'PH', mode: 'domicile' });
  });

  it('gives the French label', () => {
    expect(categoryOf('500')?.label).toBe('Établissement d’hébergement pour personnes âgées dépendantes (EHPAD)');
    expect(categoryOf('354')?.label).toBe('Service de soins infirmiers à domicile (SSIAD)');
  });

  it.each(['101', '355', '', '0500', 'EHPAD'])('knows nothing of category "%s"', (code) => {
    expect(categoryOf(code)).toBeUndefined();
    expect(isEsmsCategoryCode(code)).toBe(false);
  });
});
