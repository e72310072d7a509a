import { useId, type ReactNode } from 'react';

/**
 * A DSFR table (current markup) whose scrolling container can be reached with the keyboard and is named by the
 * caption: at 320 px a wide table scrolls, and a person without a mouse must be able to scroll it too.
 * The first cell of each row is its header.
 */
export function DataTable({
  caption,
  headers,
  data,
  rowHeader = true,
  hideCaption = false,
}: {
  caption: string;
  headers: readonly ReactNode[];
  data: readonly (readonly ReactNode[])[];
  rowHeader?: boolean;
  /** When a heading just above already says it (the caption stays for assistive technologies). */
  hideCaption?: boolean;
}) {
  const id = useId();
  return (
    <div className={`fr-table fr-mb-3w${hideCaption ? ' fr-table--no-caption' : ''}`}>
      <div className="fr-table__wrapper">
        <div className="fr-table__container" tabIndex={0} role="region" aria-labelledby={id}>
          <div className="fr-table__content">
            <table>
              <caption id={id}>{caption}</caption>
              <thead>
                <tr>
                  {headers.map((header, index) => (
                    <th key={index} scope="col">
                      {header}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.map((row, rowIndex) => (
                  <tr key={rowIndex}>
                    {row.map((cell, index) =>
                      index === 0 && rowHeader ? (
                        <th key={index} scope="row">
                          {cell}
                        </th>
                      ) : (
                        <td key={index}>{cell}</td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}
