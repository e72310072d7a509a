import { useMemo } from 'react';
import { useLocation, useNavigate } from 'react-router';

/**
 * The address's query (filters live there, so that a list can be shared and reloaded). Built on useLocation: the
 * router's own useSearchParams would add its code to the first page, which the applicant's pages do not need.
 */
export function useQuery(): [URLSearchParams, (next: URLSearchParams | Record<string, string>) => void] {
  const location = useLocation();
  const navigate = useNavigate();
  const params = useMemo(() => new URLSearchParams(location.search), [location.search]);
  const set = (next: URLSearchParams | Record<string, string>) => {
    const query = new URLSearchParams(next).toString();
    navigate({ pathname: location.pathname, search: query ? `?${query}` : '' });
  };
  return [params, set];
}
