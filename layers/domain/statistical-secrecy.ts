// Figures published outside the programme team follow statistical secrecy: a count of 1 to 4 could point at
// one structure, so it is shown as "NS" (non significatif). Zero reveals no one and stays shown.
export const SECRECY_THRESHOLD = 5;

export const isSecret = (count: number): boolean => count > 0 && count < SECRECY_THRESHOLD;

/** A count as published: "NS" below the threshold, else the count itself. */
export const publishable = (count: number): number | 'NS' => (isSecret(count) ? 'NS' : count);
