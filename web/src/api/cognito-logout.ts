/**
 * Cognito's logout endpoint with the web client and where to come back, the home page: a sign-out URL of the
 * client (infra/lib/auth-stack.ts logoutUrls). AWS: "Logout endpoint". Apart from auth.ts, which needs the DOM,
 * so that the infra tests can check it against the client's sign-out URLs.
 */
export const cognitoLogoutUrl = (logoutUrl: string, clientId: string, origin: string): string =>
  `${logoutUrl}?${new URLSearchParams({ client_id: clientId, logout_uri: `${origin}/` }).toString()}`;
