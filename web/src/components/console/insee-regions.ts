import type { ArsCode } from '@domain/regions';

/** The INSEE code of each ARS's region: how the DSFR's region map names the regions. */
export const inseeRegionCode: Record<ArsCode, string> = {
  GUA: '01',
  MTQ: '02',
  GUY: '03',
  REU: '04',
  MAY: '06',
  IDF: '11',
  CVL: '24',
  BFC: '27',
  NOR: '28',
  HDF: '32',
  GES: '44',
  PDL: '52',
  BRE: '53',
  NAQ: '75',
  OCC: '76',
  ARA: '84',
  PAC: '93',
  COR: '94',
};
