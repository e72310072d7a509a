import { accessToken } from '../../api/auth';
import { ApiProblem, problemOf } from '../../api/client';

/**
 * Downloads a file of the API with the person's token in the Authorization header (never in a URL, where logs and
 * the history would keep it), then hands it to the browser as a Blob link.
 */
export async function downloadFile(path: string, fallbackName: string, accept = 'text/csv'): Promise<{ name: string; bytes: number }> {
  const token = accessToken();
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  } catch {
    throw new ApiProblem(0, 'Le service ne répond pas : vérifiez votre connexion puis réessayez.');
  }
  if (!response.ok) throw await problemOf(response, await response.json().catch(() => undefined));
  const blob = await response.blob();
  const name = /filename="?([^";]+)"?/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file; the object URL can go once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { name, bytes: blob.size };
}
