import { Accordion } from '@codegouvfr/react-dsfr/Accordion';
import { esmsCategories } from '@domain/categories';
import { formatEuros, modeTitles, sectorTitles } from '@domain/labels';

/** Who may apply: the category table of layers/domain, grouped as the call presents it. */
export function WhoMayApply() {
  const groups = [
    { title: `${sectorTitles.PA} — ${modeTitles.etablissement.toLowerCase()}`, sector: 'PA', mode: 'etablissement' },
    { title: `${sectorTitles.PA} — ${modeTitles.domicile.toLowerCase()}`, sector: 'PA', mode: 'domicile' },
    { title: `${sectorTitles.PH} — ${modeTitles.etablissement.toLowerCase()}`, sector: 'PH', mode: 'etablissement' },
    { title: `${sectorTitles.PH} — ${modeTitles.domicile.toLowerCase()}`, sector: 'PH', mode: 'domicile' },
  ] as const;
  return (
    <>
      <p>
        Peuvent candidater les établissements et services médico-sociaux (ESMS) du secteur des personnes âgées, du secteur des personnes en situation
        de handicap et de l'aide à domicile, identifiés par leur numéro FINESS, dont le dossier usager informatisé (DUI) est <strong>référencé Ségur</strong>{' '}
        ou <strong>capable d'alimenter Mon espace santé</strong>.
      </p>
      <div className="fr-accordions-group">
        {groups.map((group) => (
          <Accordion key={group.title} label={group.title}>
            <ul>
              {esmsCategories
                .filter((category) => category.sector === group.sector && category.mode === group.mode)
                .map((category) => (
                  <li key={category.code}>
                    {category.label} <span className="fr-text--xs">(catégorie FINESS {category.code})</span>
                  </li>
                ))}
            </ul>
          </Accordion>
        ))}
      </div>
    </>
  );
}

/** How funding works (the amounts of each convention are the API's: see the convention page). */
export function HowFundingWorks({ amountEur }: { amountEur?: number }) {
  return (
    <ul>
      <li>
        Chaque ESMS retenu signe une convention avec son ARS{amountEur !== undefined && <> pour un montant de <span className="app-figure">{formatEuros(amountEur)}</span></>}.
      </li>
      <li>La première moitié du montant est versée à la signature de la convention.</li>
      <li>La seconde moitié est acquise si, à la fin des remontées, chaque objectif d'usage de la campagne est atteint.</li>
      <li>Chaque mois de l'expérimentation, l'ESMS (ou son éditeur de DUI) déclare des chiffres d'usage agrégés : jamais de donnée nominative.</li>
    </ul>
  );
}
